"""The one call to OpenAI: `POST {OPENAI_BASE_URL}/realtime/client_secrets` with the clinic's key.

Failures become `UpstreamFailed` with a code the desktop can explain. The log gets the status
and OpenAI's error code only: OpenAI's messages can quote part of the key, and the body is theirs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from therapy_desktop.backend.errors import UpstreamFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MintedSecret:
    value: str
    expires_at: int  # unix seconds
    realtime_session_id: str | None

    def __repr__(self) -> str:  # never print the key
        return f"MintedSecret(expires_at={self.expires_at}, realtime_session_id={self.realtime_session_id!r})"


class RealtimeUpstream:
    """Thread-safe (one `httpx.Client` shared by the request threads)."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 15.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._url = f"{base_url.rstrip('/')}/realtime/client_secrets"
        self._api_key = api_key
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=5.0), transport=transport,
                                  limits=httpx.Limits(max_connections=50))

    def close(self) -> None:
        self._http.close()

    def mint(self, session: dict[str, Any], expires_seconds: int) -> MintedSecret:
        body = {"expires_after": {"anchor": "created_at", "seconds": expires_seconds}, "session": session}
        try:
            response = self._http.post(self._url, json=body, headers={"Authorization": f"Bearer {self._api_key}"})
        except httpx.HTTPError as exc:
            # Only the type: an exception's text can quote the request, the key among it.
            log.warning("OpenAI unreachable: %s", type(exc).__name__)
            raise UpstreamFailed("upstream_unreachable") from None
        if response.status_code >= 400:
            raise _failure(response)
        try:
            payload = response.json()
            value, expires_at = payload["value"], int(payload["expires_at"])
            if not isinstance(value, str) or not value:
                raise ValueError("no key in the answer")
            described = payload.get("session") or {}
            session_id = described.get("id") if isinstance(described, dict) else None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("OpenAI answered %s with an unexpected body (%s)", response.status_code, type(exc).__name__)
            raise UpstreamFailed("upstream_unexpected") from None
        return MintedSecret(value, expires_at, session_id if isinstance(session_id, str) and session_id else None)


def _failure(response: httpx.Response) -> UpstreamFailed:
    status = response.status_code
    code, kind = _error_code(response)
    log.warning("OpenAI refused a client secret: HTTP %s, code %s, type %s", status, code, kind)
    if status == 401:
        return UpstreamFailed("upstream_key_rejected")
    if status in (403, 404):
        return UpstreamFailed("upstream_forbidden")
    if status == 429:
        return UpstreamFailed("upstream_quota", retry_after=_retry_after(response))
    if status >= 500:
        return UpstreamFailed("upstream_unavailable", retry_after=_retry_after(response))
    return UpstreamFailed("upstream_rejected")


def _error_code(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        error = response.json()["error"]
        code, kind = error.get("code"), error.get("type")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None
    # Codes are short identifiers; anything else is not ours to log.
    def clean(value: Any) -> str | None:
        return value if isinstance(value, str) and value.isidentifier() and len(value) <= 64 else None
    return clean(code), clean(kind)


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("Retry-After", "").strip()
    return min(int(value), 3600) if value.isdigit() else None
