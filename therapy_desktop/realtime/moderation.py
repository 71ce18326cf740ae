"""The second crisis net in OpenAI mode: the moderation endpoint's self-harm categories.

`POST {base}/moderations` with `omni-moderation-latest`. It only ever adds a flag: any failure
(network, timeout, 404 from a server that has no such endpoint, an unexpected body) returns None
and logs one line without the key or the person's words, and the local net alone decides.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from therapy_desktop.realtime.http_api import _host

log = logging.getLogger(__name__)

MODERATION_MODEL = "omni-moderation-latest"
SELF_HARM_CATEGORIES = ("self-harm", "self-harm/intent", "self-harm/instructions")
_MAX_INPUT = 8000  # a transcript turn is far shorter; never send a runaway buffer


@dataclass(frozen=True)
class ModerationResult:
    self_harm: bool  # any of SELF_HARM_CATEGORIES flagged
    categories: frozenset[str]  # the self-harm categories that were flagged
    scores: dict[str, float]  # their scores, for logs and tuning
    flagged: bool  # the endpoint's overall verdict (any category, not only self-harm)


async def moderate_self_harm(
    http: httpx.AsyncClient, base_url: str, api_key: str, text: str, timeout: float = 3.0
) -> ModerationResult | None:
    """Ask the moderation endpoint about one utterance; None when that is not possible."""
    if not text.strip():
        return ModerationResult(False, frozenset(), {}, False)
    url = f"{base_url.rstrip('/')}/moderations"
    body = {"model": MODERATION_MODEL, "input": text[:_MAX_INPUT]}
    try:
        response = await http.post(url, json=body, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)
    except httpx.TimeoutException:
        log.warning("Moderation check skipped: %s did not answer within %.1f s", _host(url), timeout)
        return None
    except httpx.HTTPError as exc:
        # Only the type: an exception's text can quote request headers.
        log.warning("Moderation check skipped: cannot reach %s (%s)", _host(url), type(exc).__name__)
        return None
    if response.status_code == 404:
        log.info("Moderation check skipped: %s has no moderation endpoint (404)", _host(url))
        return None
    if response.status_code >= 400:
        log.warning("Moderation check skipped: HTTP %s from %s", response.status_code, _host(url))
        return None
    try:
        return _parse(response.json())
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.warning("Moderation check skipped: unexpected answer from %s (%s)", _host(url), type(exc).__name__)
        return None


def _parse(payload: Any) -> ModerationResult:
    """The first result of a `Moderation` response (openai.types.ModerationCreateResponse)."""
    result = payload["results"][0]
    categories = result["categories"]
    scores = result.get("category_scores") or {}
    if not isinstance(categories, dict) or not isinstance(scores, dict):
        raise TypeError("categories")
    flagged = frozenset(name for name in SELF_HARM_CATEGORIES if categories.get(name) is True)
    self_harm_scores = {name: float(scores[name]) for name in SELF_HARM_CATEGORIES if name in scores}
    return ModerationResult(bool(flagged), flagged, self_harm_scores, bool(result.get("flagged")))
