"""The two HTTP calls of the GA interface: mint a client secret, and post the SDP offer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from therapy_desktop.redaction import register_secret
from therapy_desktop.realtime.errors import (
    AuthenticationFailed,
    NetworkUnreachable,
    RateLimited,
    RealtimeError,
    ServiceRequestFailed,
)

log = logging.getLogger(__name__)

HTTP_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@dataclass(frozen=True)
class EphemeralKey:
    value: str
    expires_at: int  # unix seconds; only starting a call needs the key to be fresh
    session: dict[str, Any]
    base_url: str  # the API the key belongs to: where the call is posted

    def __repr__(self) -> str:  # never print the secret
        return f"EphemeralKey(expires_at={self.expires_at})"


@dataclass(frozen=True)
class CallAnswer:
    sdp: str
    call_id: str | None


async def mint_client_secret(
    http: httpx.AsyncClient,
    base_url: str,
    credential: str,
    session: dict[str, Any],
    *,
    expires_seconds: int = 600,
) -> EphemeralKey:
    """`POST {base}/realtime/client_secrets`: an ephemeral key carrying `session`."""
    body = {"expires_after": {"anchor": "created_at", "seconds": expires_seconds}, "session": session}
    url = f"{base_url.rstrip('/')}/realtime/client_secrets"
    response = await _send(http, "POST", url, "Creating a session key", credential, json=body)
    try:
        payload = response.json()
        value, expires_at = payload["value"], int(payload["expires_at"])
        if not isinstance(value, str) or not value:
            raise ValueError("empty key")
    except (ValueError, KeyError, TypeError) as exc:
        raise ServiceRequestFailed(
            f"The service at {_host(url)} answered the session-key request with something unexpected.",
            status=response.status_code,
            detail=str(exc),
        ) from None
    register_secret(value)  # from here on it can only ever be printed as [redacted]
    return EphemeralKey(value, expires_at, payload.get("session") or {}, base_url)


async def create_call(http: httpx.AsyncClient, key: EphemeralKey, offer_sdp: str) -> CallAnswer:
    """`POST {base}/realtime/calls` with the SDP offer; the 201 answer's SDP and call id."""
    url = f"{key.base_url.rstrip('/')}/realtime/calls"
    response = await _send(
        http,
        "POST",
        url,
        "Starting the voice call",
        key.value,
        content=offer_sdp.encode(),
        headers={"Content-Type": "application/sdp"},
    )
    if response.status_code not in (200, 201) or not response.text.startswith("v="):
        raise ServiceRequestFailed(
            f"The service at {_host(url)} did not answer the call with an SDP answer.",
            status=response.status_code,
            detail=response.text[:200],
        )
    location = response.headers.get("Location", "")
    call_id = location.rstrip("/").rsplit("/", 1)[-1] if location else None
    return CallAnswer(response.text, call_id or None)


async def _send(
    http: httpx.AsyncClient, method: str, url: str, action: str, bearer: str, **kwargs: Any
) -> httpx.Response:
    register_secret(bearer)  # a server that echoes the credential back never gets it printed
    headers = {"Authorization": f"Bearer {bearer}", **kwargs.pop("headers", {})}
    try:
        response = await http.request(method, url, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
    except httpx.TimeoutException:
        raise NetworkUnreachable(
            f"{action} timed out: {_host(url)} did not answer. Check your internet connection."
        ) from None
    except httpx.HTTPError as exc:
        # Only the type: the exception's text can quote request headers, the key among them.
        raise NetworkUnreachable(
            f"{action} failed: cannot reach {_host(url)} ({type(exc).__name__}). Check your internet connection.",
            detail=type(exc).__name__,
        ) from None
    if response.status_code >= 400:
        raise _error_from_response(response, action, url)
    return response


def _error_from_response(response: httpx.Response, action: str, url: str) -> RealtimeError:
    status = response.status_code
    message, code = _api_error_fields(response)
    log.warning("%s: HTTP %s from %s: %s", action, status, _host(url), message)
    message = message.strip().rstrip(".")
    said = f": {message}" if message else ""
    if status in (401, 403):
        # The provider knows which credential this was and where it lives; it words the advice.
        return AuthenticationFailed(f"{action} was refused ({status}{said}).", detail=response.text[:500])
    if status == 429:
        return RateLimited(f"{action} was rate-limited (429){said}. Wait a minute and try again.", code=code)
    return ServiceRequestFailed(f"{action} failed ({status}){said}", status=status, code=code, detail=response.text[:500])


def _api_error_fields(response: httpx.Response) -> tuple[str, str | None]:
    """`{"error": {"message", "code"}}` if the body has that shape, else the start of the body."""
    try:
        error = response.json()["error"]
        return str(error.get("message") or ""), error.get("code")
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text.strip()[:200], None


def _host(url: str) -> str:
    """Host and port only: a base URL may carry user:password@."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "the service"
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
