"""The two HTTP calls of the GA interface: mint a client secret, and post the SDP offer."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from therapy_desktop.realtime import messages
from therapy_desktop.realtime.errors import (
    AuthenticationFailed,
    NetworkUnreachable,
    RateLimited,
    RealtimeError,
    ServiceRequestFailed,
)
from therapy_desktop.realtime.ice import is_loopback_url
from therapy_desktop.redaction import redact, register_secret

log = logging.getLogger(__name__)

HTTP_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
SERVER_ERROR_DELAYS = (0.5, 1.5)  # a 5xx when minting is retried after these pauses, then reported


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
    retry_delays: tuple[float, ...] = SERVER_ERROR_DELAYS,
) -> EphemeralKey:
    """`POST {base}/realtime/client_secrets`: an ephemeral key carrying `session`.

    A 5xx is retried after each of `retry_delays` (minting twice is harmless: an unused key expires)."""
    body = {"expires_after": {"anchor": "created_at", "seconds": expires_seconds}, "session": session}
    url = f"{base_url.rstrip('/')}/realtime/client_secrets"
    for attempt, delay in enumerate((*retry_delays, None), start=1):
        try:
            response = await _send(http, "POST", url, "client_secrets", credential, json=body, attempts=attempt)
            break
        except ServiceRequestFailed as exc:
            if exc.status < 500 or delay is None:
                raise
            log.info("client_secrets: HTTP %s, retrying in %.1f s", exc.status, delay)
            await asyncio.sleep(delay)
    try:
        payload = response.json()
        value, expires_at = payload["value"], int(payload["expires_at"])
        if not isinstance(value, str) or not value:
            raise ValueError("empty key")
    except (ValueError, KeyError, TypeError) as exc:
        raise ServiceRequestFailed(
            messages.unexpected_answer(_host(url)),
            status=response.status_code,
            detail=f"HTTP {response.status_code} from {_host(url)}: {type(exc).__name__}",
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
        "calls",
        key.value,
        content=offer_sdp.encode(),
        headers={"Content-Type": "application/sdp"},
    )
    if response.status_code not in (200, 201) or not response.text.startswith("v="):
        raise ServiceRequestFailed(
            messages.no_sdp_answer(_host(url)),
            status=response.status_code,
            detail=f"HTTP {response.status_code} from {_host(url)}: {redact(response.text[:200])}",
        )
    location = response.headers.get("Location", "")
    call_id = location.rstrip("/").rsplit("/", 1)[-1] if location else None
    return CallAnswer(response.text, call_id or None)


async def _send(
    http: httpx.AsyncClient, method: str, url: str, endpoint: str, bearer: str, *, attempts: int = 1, **kwargs: Any
) -> httpx.Response:
    register_secret(bearer)  # a server that echoes the credential back never gets it printed
    headers = {"Authorization": f"Bearer {bearer}", **kwargs.pop("headers", {})}
    try:
        response = await http.request(method, url, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
    except httpx.HTTPError as exc:
        raise network_error(exc, url) from None
    if response.status_code >= 400:
        raise _error_from_response(response, endpoint, url, attempts)
    return response


def network_error(exc: httpx.HTTPError, url: str) -> NetworkUnreachable:
    """The request got no answer: say which way it failed (the names of the causes, never their text,
    which can quote request headers)."""
    host, local = _host(url), is_loopback_url(url)
    causes = _causes(exc)
    kinds = " <- ".join(type(c).__name__ for c in causes)
    detail = f"{kinds} ({host})"
    if isinstance(exc, httpx.TimeoutException):
        return NetworkUnreachable(messages.local_timeout(host) if local else messages.timed_out(host), detail=detail)
    if local:
        return NetworkUnreachable(messages.local_refused(host), detail=detail)
    if any(isinstance(c, ssl.SSLError) for c in causes) or "SSL" in kinds or "certificate" in str(exc).lower():
        return NetworkUnreachable(messages.tls_failed(host), detail=detail)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return NetworkUnreachable(messages.refused(host), detail=detail)
    if any(isinstance(c, OSError) and "gaierror" in type(c).__name__ for c in causes) or _looks_like_dns(exc):
        return NetworkUnreachable(messages.name_not_found(host), detail=detail)
    return NetworkUnreachable(messages.unreachable(host), detail=detail)


def _causes(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _looks_like_dns(exc: BaseException) -> bool:
    text = " ".join(str(c) for c in _causes(exc)).lower()
    return any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution"))


def _error_from_response(response: httpx.Response, endpoint: str, url: str, attempts: int) -> RealtimeError:
    status = response.status_code
    said, code = _api_error_fields(response)
    said = redact(said.strip().rstrip("."))
    host = _host(url)
    log.warning("%s: HTTP %s from %s: %s", endpoint, status, host, said)
    detail = f"HTTP {status} from {host}" + (f": {said}" if said else "") + (f" ({code})" if code else "")
    model = _model_named(said)
    if status == 401:
        if endpoint == "calls":  # the only credential there is the ephemeral key
            return AuthenticationFailed(messages.session_key_expired(), detail=detail)
        return AuthenticationFailed(messages.key_rejected(), detail=detail)
    if status == 403:
        return AuthenticationFailed(messages.no_realtime_access(model), detail=detail)
    if status == 404:
        if code == "model_not_found" or model or "model" in said.lower():
            return ServiceRequestFailed(messages.unknown_model(model), status=status, code=code, detail=detail)
        return ServiceRequestFailed(messages.not_a_realtime_api(host), status=status, code=code, detail=detail)
    if status == 429:
        if code == "insufficient_quota" or "quota" in said.lower():
            error = RateLimited(messages.out_of_quota(), code=code, detail=detail)
            error.retryable = False
            return error
        seconds = retry_after(response, said)
        error = RateLimited(messages.rate_limited(seconds), code=code, detail=detail)
        error.retry_after = seconds  # type: ignore[attr-defined]
        return error
    if status >= 500:
        return ServiceRequestFailed(messages.service_error(host, attempts), status=status, code=code, detail=detail)
    if status == 400 and said:
        return ServiceRequestFailed(messages.bad_request(said), status=status, code=code, detail=detail)
    return ServiceRequestFailed(messages.unexpected_answer(host), status=status, code=code, detail=detail)


def retry_after(response: httpx.Response, said: str) -> float | None:
    """Seconds to wait: the Retry-After header (seconds or a date), else the message's "try again in 1m20s"."""
    header = response.headers.get("Retry-After", "").strip()
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(header)
                return max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    match = re.search(r"try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)", said, re.IGNORECASE)
    if not match:
        return None
    units = {"ms": 0.001, "h": 3600.0, "m": 60.0, "s": 1.0}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", match.group(1)))


def _model_named(said: str) -> str | None:
    match = re.search(r"(gpt-[A-Za-z0-9.\-]+)", said)
    return match.group(1).rstrip(".'\"") if match else None


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
