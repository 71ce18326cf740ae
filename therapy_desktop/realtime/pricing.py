"""What a session costs at OpenAI's list prices, from the `usage` of each `response.done`.

The Realtime API bills per response: every input token (text, audio, image; cached ones at a
lower rate) and every output token (text, audio). `usage.input_token_details.cached_tokens` is
a subset of the input, split by `cached_tokens_details`; the rest of each modality is billed at
the full rate. A response's cost is computed from that split, and the session's is the sum.

A model this table does not price gets no estimate, never a borrowed one; a usage too
incomplete to split (cached tokens without their split, counts that do not add up) gets none
either. The table can be overridden, whole models at a time, by a JSON file named in
THERAPY_DESKTOP_PRICES_FILE (shape: `{"as_of": "2027-01-15", "source": "https://…",
"models": {"gpt-realtime-2.1": {"text_input": 4, "cached_text_input": 0.4, "audio_input": 32,
"cached_audio_input": 0.4, "text_output": 24, "audio_output": 64}}}`, USD per 1M tokens;
`image_input` and `cached_image_input` optional).
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from therapy_desktop.realtime.connect_mode import ConnectMode

log = logging.getLogger(__name__)

PRICES_FILE_ENV = "THERAPY_DESKTOP_PRICES_FILE"
_PER_TOKEN = 1 / 1_000_000


class PriceTableError(ValueError):
    """An override file the app cannot use; `str()` says which file and what to fix."""


@dataclass(frozen=True)
class ModelPrices:
    """USD per 1M tokens. Image input is optional: the app sends no images, and a response
    that carried some is priced only when the table knows their price."""

    text_input: float
    cached_text_input: float
    audio_input: float
    cached_audio_input: float
    text_output: float
    audio_output: float
    image_input: float | None = None
    cached_image_input: float | None = None


# Read on 2026-12-01 from each model's page, https://developers.openai.com/api/docs/models/<model>
# (the pricing page, https://developers.openai.com/api/docs/pricing, links them). gpt-realtime and
# gpt-realtime-mini are left out on purpose: their pages in the sources read that day showed
# only text-token prices, and an audio session is mostly audio tokens.
PRICES_AS_OF = "2026-12-01"
PRICES_SOURCE = "https://developers.openai.com/api/docs/models/"
LIST_PRICES: Mapping[str, ModelPrices] = MappingProxyType({
    "gpt-realtime-2.1": ModelPrices(4.00, 0.40, 32.00, 0.40, 24.00, 64.00, 5.00, 0.50),
    "gpt-realtime-2.1-mini": ModelPrices(0.60, 0.06, 10.00, 0.30, 2.40, 20.00, 0.80, 0.08),
    "gpt-realtime-2": ModelPrices(4.00, 0.40, 32.00, 0.40, 24.00, 64.00, 5.00, 0.50),
    "gpt-realtime-1.5": ModelPrices(4.00, 0.40, 32.00, 0.40, 16.00, 64.00, 5.00, 0.50),
})


@dataclass(frozen=True)
class TokenSplit:
    """One response's tokens by how they are billed (uncached and cached counted apart)."""

    text_input: int = 0
    cached_text_input: int = 0
    audio_input: int = 0
    cached_audio_input: int = 0
    image_input: int = 0
    cached_image_input: int = 0
    text_output: int = 0
    audio_output: int = 0

    @classmethod
    def from_usage(cls, usage: Mapping[str, Any]) -> TokenSplit | None:
        """The split of a GA `response.done` usage; None when it cannot be split exactly."""
        input_total = _count(usage.get("input_tokens"))
        output_total = _count(usage.get("output_tokens"))
        if input_total is None or output_total is None:
            return None
        inputs = _details(usage.get("input_token_details"), input_total)
        outputs = _details(usage.get("output_token_details"), output_total)
        if inputs is None or outputs is None:
            return None
        audio_in, image_in = _count(inputs.get("audio_tokens", 0)), _count(inputs.get("image_tokens", 0))
        if audio_in is None or image_in is None:
            return None
        # Text is what is left of the billed total: it also covers any tokens the details do not name.
        text_in = input_total - audio_in - image_in
        cached = _cached(inputs, input_total)
        if text_in < 0 or cached is None:
            return None
        cached_text, cached_audio, cached_image = cached
        audio_out = _count(outputs.get("audio_tokens", 0))
        if audio_out is None or audio_out > output_total:
            return None
        if cached_text > text_in or cached_audio > audio_in or cached_image > image_in:
            return None
        return cls(
            text_input=text_in - cached_text, cached_text_input=cached_text,
            audio_input=audio_in - cached_audio, cached_audio_input=cached_audio,
            image_input=image_in - cached_image, cached_image_input=cached_image,
            # Output not spoken is billed as text (reasoning tokens included).
            text_output=output_total - audio_out, audio_output=audio_out,
        )

    def cost(self, prices: ModelPrices) -> float | None:
        if (self.image_input or self.cached_image_input) and (prices.image_input is None or prices.cached_image_input is None):
            return None
        dollars = (
            self.text_input * prices.text_input + self.cached_text_input * prices.cached_text_input
            + self.audio_input * prices.audio_input + self.cached_audio_input * prices.cached_audio_input
            + self.text_output * prices.text_output + self.audio_output * prices.audio_output
            + self.image_input * (prices.image_input or 0.0) + self.cached_image_input * (prices.cached_image_input or 0.0)
        )
        return dollars * _PER_TOKEN


@dataclass(frozen=True)
class PriceTable:
    models: Mapping[str, ModelPrices]
    as_of: str = PRICES_AS_OF
    source: str = PRICES_SOURCE

    def prices(self, model: str) -> ModelPrices | None:
        return self.models.get(model)

    def response_cost(self, model: str, usage: Mapping[str, Any]) -> float | None:
        """USD for one `response.done` usage; None for an unpriced model or an unsplittable usage."""
        prices = self.prices(model)
        if prices is None:
            return None
        split = TokenSplit.from_usage(usage)
        if split is None:
            log.info("no cost estimate for a response: its usage could not be split by modality")
            return None
        return split.cost(prices)


BUILT_IN = PriceTable(LIST_PRICES)


def response_cost_for_mode(mode: str, model: str, usage: Mapping[str, Any],
                           table: PriceTable | None = BUILT_IN) -> float | None:
    """What this response costs the person: nothing in Demo (it runs on this computer), unknown
    to them with a Clinic backend (the clinic pays, under its own terms and its own choice of
    model), the list-price estimate with their own OpenAI key (None: no table, no price)."""
    if mode == ConnectMode.DEMO:
        return 0.0
    if mode == ConnectMode.OPENAI and table is not None:
        return table.response_cost(model, usage)
    return None


def price_table(environ: Mapping[str, str] | None = None) -> PriceTable:
    """The built-in table, with the models of THERAPY_DESKTOP_PRICES_FILE (if set) over it.
    Raises PriceTableError for a file that cannot be used."""
    env = os.environ if environ is None else environ
    name = env.get(PRICES_FILE_ENV, "").strip()
    if not name:
        return BUILT_IN
    return load_overrides(Path(name), BUILT_IN)


def load_overrides(path: Path, base: PriceTable = BUILT_IN) -> PriceTable:
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise PriceTableError(f"The price file {path} could not be read ({exc.strerror or exc}).") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PriceTableError(f"The price file {path} is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict) or not data["models"]:
        raise PriceTableError(f'The price file {path} needs a "models" object with at least one model in it.')
    as_of, source = data.get("as_of"), data.get("source", "")
    if not isinstance(as_of, str) or not as_of.strip():
        raise PriceTableError(f'The price file {path} needs "as_of": the date its prices were read, e.g. "2027-01-15".')
    if not isinstance(source, str):
        raise PriceTableError(f'In the price file {path}, "source" must be text (where the prices come from).')
    models = dict(base.models)
    for model, entry in data["models"].items():
        models[model] = _model_prices(path, model, entry)
    return PriceTable(MappingProxyType(models), as_of=as_of.strip(), source=source.strip() or base.source)


def _model_prices(path: Path, model: str, entry: object) -> ModelPrices:
    names = [f.name for f in fields(ModelPrices)]
    required = names[:6]
    if not isinstance(entry, dict):
        raise PriceTableError(f"In the price file {path}, {model} must be an object of prices.")
    unknown = sorted(set(entry) - set(names))
    if unknown:
        raise PriceTableError(f"In the price file {path}, {model} has unknown prices {unknown}; known: {names}.")
    missing = [n for n in required if n not in entry]
    if missing:
        raise PriceTableError(f"In the price file {path}, {model} is missing {missing} (USD per 1M tokens).")
    for name, value in entry.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or not math.isfinite(value):
            raise PriceTableError(f"In the price file {path}, {model}.{name} must be a number of US dollars, 0 or more.")
    return ModelPrices(**{name: float(value) for name, value in entry.items()})


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _details(value: object, total: int) -> Mapping[str, Any] | None:
    """The details of a direction; missing ones are fine only when there is nothing to split."""
    if value is None:
        return {} if total == 0 else None
    return value if isinstance(value, Mapping) else None


def _cached(inputs: Mapping[str, Any], input_total: int) -> tuple[int, int, int] | None:
    """(text, audio, image) cached tokens. Cached tokens without their split cannot be priced:
    cached text and cached audio differ in price for the mini models."""
    cached_total = _count(inputs.get("cached_tokens", 0))
    if cached_total is None or cached_total > input_total:
        return None
    if cached_total == 0:
        return 0, 0, 0
    detail = inputs.get("cached_tokens_details")
    if not isinstance(detail, Mapping):
        return None
    audio, image = _count(detail.get("audio_tokens", 0)), _count(detail.get("image_tokens", 0))
    if audio is None or image is None or audio + image > cached_total:
        return None
    text = cached_total - audio - image
    named_text = detail.get("text_tokens")
    if named_text is not None and _count(named_text) != text:
        return None
    return text, audio, image
