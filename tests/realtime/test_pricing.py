"""The cost of a response from its GA `usage`, built and validated with the openai SDK's own
models (so the shape is the service's, not ours): cached tokens apart, per modality, the model's
own prices, and no estimate whenever one would be a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openai.types.realtime.realtime_response_usage import RealtimeResponseUsage
from openai.types.realtime.realtime_response_usage_input_token_details import (
    CachedTokensDetails,
    RealtimeResponseUsageInputTokenDetails,
)
from openai.types.realtime.realtime_response_usage_output_token_details import RealtimeResponseUsageOutputTokenDetails
from openai.types.realtime.response_done_event import ResponseDoneEvent

from therapy_desktop.realtime.pricing import (
    BUILT_IN,
    LIST_PRICES,
    PRICES_AS_OF,
    PRICES_FILE_ENV,
    ModelPrices,
    PriceTableError,
    TokenSplit,
    load_overrides,
    price_table,
    response_cost_for_mode,
)
from therapy_desktop.realtime.session_config import REALTIME_MODELS


def usage(text_in: int, audio_in: int, cached_text: int, cached_audio: int, text_out: int, audio_out: int) -> dict:
    """A GA usage as the SDK models it, dumped the way it arrives on the data channel."""
    model = RealtimeResponseUsage(
        input_tokens=text_in + audio_in,
        output_tokens=text_out + audio_out,
        total_tokens=text_in + audio_in + text_out + audio_out,
        input_token_details=RealtimeResponseUsageInputTokenDetails(
            text_tokens=text_in, audio_tokens=audio_in, cached_tokens=cached_text + cached_audio,
            cached_tokens_details=CachedTokensDetails(text_tokens=cached_text, audio_tokens=cached_audio),
        ),
        output_token_details=RealtimeResponseUsageOutputTokenDetails(text_tokens=text_out, audio_tokens=audio_out),
    )
    return model.model_dump(exclude_none=True)


def test_a_response_is_priced_per_modality_with_cached_tokens_at_their_own_rate():
    # The forum's worked example shape: 313 text (256 cached), 476 audio (384 cached), 9 + 23 out.
    u = usage(313, 476, 256, 384, 9, 23)
    split = TokenSplit.from_usage(u)
    assert split == TokenSplit(text_input=57, cached_text_input=256, audio_input=92, cached_audio_input=384,
                               text_output=9, audio_output=23)
    cost = BUILT_IN.response_cost("gpt-realtime-2.1", u)
    expected = (57 * 4 + 256 * 0.40 + 92 * 32 + 384 * 0.40 + 9 * 24 + 23 * 64) / 1_000_000
    assert cost == pytest.approx(expected, rel=1e-12)
    assert cost == pytest.approx(0.005116, abs=1e-12)  # by hand: 228 + 102.4 + 2944 + 153.6 + 216 + 1472 = 5116 micro-dollars


def test_the_mini_model_prices_cached_text_and_cached_audio_differently():
    prices = LIST_PRICES["gpt-realtime-2.1-mini"]
    assert (prices.cached_text_input, prices.cached_audio_input) == (0.06, 0.30)
    text_cached = BUILT_IN.response_cost("gpt-realtime-2.1-mini", usage(1000, 0, 1000, 0, 0, 0))
    audio_cached = BUILT_IN.response_cost("gpt-realtime-2.1-mini", usage(0, 1000, 0, 1000, 0, 0))
    assert text_cached == pytest.approx(0.00006) and audio_cached == pytest.approx(0.0003)


def test_every_priced_model_is_one_the_app_offers_and_the_table_is_dated():
    assert set(LIST_PRICES) <= set(REALTIME_MODELS)
    assert {"gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2"} <= set(LIST_PRICES)
    assert PRICES_AS_OF == "2026-12-01" and BUILT_IN.source.startswith("https://developers.openai.com/")
    assert LIST_PRICES["gpt-realtime-2"].text_output == 24.0 and LIST_PRICES["gpt-realtime-1.5"].text_output == 16.0


@pytest.mark.parametrize("model", ["gpt-realtime", "gpt-realtime-mini", "gpt-4o-realtime-preview", ""])
def test_a_model_without_a_known_price_gets_no_estimate(model):
    assert BUILT_IN.response_cost(model, usage(100, 100, 0, 0, 10, 10)) is None


def test_usage_inside_a_real_response_done_event_is_priced():
    event = ResponseDoneEvent.model_validate({
        "type": "response.done", "event_id": "ev_1",
        "response": {"id": "resp_1", "object": "realtime.response", "status": "completed",
                     "usage": usage(1200, 300, 1024, 0, 40, 500)},
    })
    wire = event.model_dump(exclude_none=True)["response"]["usage"]
    assert BUILT_IN.response_cost("gpt-realtime-2", wire) == pytest.approx(
        (176 * 4 + 1024 * 0.4 + 300 * 32 + 40 * 24 + 500 * 64) / 1_000_000)


def test_output_beyond_the_named_details_is_billed_as_text():
    # Reasoning models count reasoning in output_tokens; it is billed as text output.
    u = usage(10, 0, 0, 0, 5, 20)
    u["output_tokens"] += 30
    u["total_tokens"] += 30
    RealtimeResponseUsage.model_validate(u)
    assert TokenSplit.from_usage(u).text_output == 35


@pytest.mark.parametrize("spoil", [
    lambda u: u["input_token_details"].pop("cached_tokens_details"),  # cached, but which modality?
    lambda u: u.pop("input_token_details"),  # input, but no split at all
    lambda u: u.pop("output_token_details"),
    lambda u: u["input_token_details"].update(audio_tokens=10_000),  # more audio than input
    lambda u: u["input_token_details"]["cached_tokens_details"].update(audio_tokens=99_999),
    lambda u: u["input_token_details"]["cached_tokens_details"].update(text_tokens=1),  # does not add up
    lambda u: u.update(input_tokens=-1),
    lambda u: u.update(output_tokens="12"),
    lambda u: u.update(input_token_details="lots"),
])
def test_a_usage_that_cannot_be_split_exactly_gets_no_estimate(spoil):
    u = usage(300, 400, 200, 100, 10, 50)
    spoil(u)
    assert BUILT_IN.response_cost("gpt-realtime-2.1", u) is None


def test_an_empty_response_costs_nothing():
    u = RealtimeResponseUsage(input_tokens=0, output_tokens=0, total_tokens=0).model_dump(exclude_none=True)
    assert BUILT_IN.response_cost("gpt-realtime-2.1", u) == 0.0


def test_images_are_priced_only_where_the_table_knows_their_price(tmp_path):
    u = usage(100, 0, 0, 0, 10, 0)
    u["input_tokens"] += 500
    u["input_token_details"]["image_tokens"] = 500
    RealtimeResponseUsage.model_validate(u)
    assert BUILT_IN.response_cost("gpt-realtime-2.1", u) == pytest.approx((100 * 4 + 500 * 5 + 10 * 24) / 1_000_000)
    no_images = load_overrides(_write(tmp_path, {"as_of": "2027-01-01", "models": {"gpt-realtime-2.1": {
        "text_input": 4, "cached_text_input": 0.4, "audio_input": 32, "cached_audio_input": 0.4,
        "text_output": 24, "audio_output": 64}}}))
    assert no_images.response_cost("gpt-realtime-2.1", u) is None


def test_what_the_person_pays_depends_on_the_mode():
    u = usage(100, 100, 0, 0, 10, 10)
    assert response_cost_for_mode("demo", "gpt-realtime-2.1", u) == 0.0  # runs on this computer
    assert response_cost_for_mode("backend", "gpt-realtime-2.1", u) is None  # the clinic pays
    assert response_cost_for_mode("openai", "gpt-realtime-2.1", u) == BUILT_IN.response_cost("gpt-realtime-2.1", u)
    assert response_cost_for_mode("openai", "gpt-realtime-2.1", u, None) is None  # no usable table
    assert response_cost_for_mode("demo", "gpt-realtime-2.1", u, None) == 0.0


def test_a_price_file_overrides_whole_models_and_adds_new_ones(tmp_path):
    path = _write(tmp_path, {"as_of": "2027-02-01", "source": "https://example.test/prices", "models": {
        "gpt-realtime": {"text_input": 4, "cached_text_input": 0.4, "audio_input": 32, "cached_audio_input": 0.4,
                         "text_output": 16, "audio_output": 64},
        "gpt-realtime-2.1": {"text_input": 1, "cached_text_input": 0.1, "audio_input": 2, "cached_audio_input": 0.2,
                             "text_output": 3, "audio_output": 4},
    }})
    table = price_table({PRICES_FILE_ENV: str(path)})
    assert (table.as_of, table.source) == ("2027-02-01", "https://example.test/prices")
    assert table.prices("gpt-realtime-2.1") == ModelPrices(1, 0.1, 2, 0.2, 3, 4)
    assert table.prices("gpt-realtime-2") == LIST_PRICES["gpt-realtime-2"]  # untouched models stay
    assert table.response_cost("gpt-realtime", usage(0, 1_000_000, 0, 0, 0, 0)) == pytest.approx(32.0)
    assert price_table({}) is BUILT_IN


@pytest.mark.parametrize(("content", "words"), [
    ("not json", "not valid JSON"),
    ('{"as_of": "2027-01-01"}', '"models"'),
    ('{"models": {"m": {}}}', '"as_of"'),
    ('{"as_of": "x", "models": {"m": {"text_input": 1}}}', "missing"),
    ('{"as_of": "x", "models": {"m": {"text_input": 1, "cached_text_input": 1, "audio_input": 1,'
     ' "cached_audio_input": 1, "text_output": 1, "audio_output": -2}}}', "0 or more"),
    ('{"as_of": "x", "models": {"m": {"text_input": 1, "cached_text_input": 1, "audio_input": 1,'
     ' "cached_audio_input": 1, "text_output": 1, "audio_output": NaN}}}', "0 or more"),
    ('{"as_of": "x", "models": {"m": {"txt_input": 1}}}', "unknown prices"),
    ('{"as_of": "x", "models": {"m": 3}}', "object of prices"),
])
def test_a_bad_price_file_says_which_file_and_what_to_fix(tmp_path, content, words):
    path = tmp_path / "prices.json"
    path.write_text(content, "utf-8")
    with pytest.raises(PriceTableError) as raised:
        price_table({PRICES_FILE_ENV: str(path)})
    assert str(path) in str(raised.value) and words in str(raised.value)


def test_a_missing_price_file_is_named(tmp_path):
    with pytest.raises(PriceTableError, match="could not be read"):
        price_table({PRICES_FILE_ENV: str(tmp_path / "absent.json")})


def _write(folder: Path, data: dict) -> Path:
    path = folder / "prices.json"
    path.write_text(json.dumps(data), "utf-8")
    return path
