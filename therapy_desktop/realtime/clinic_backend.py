"""Clinic backend mode: the clinic's server mints the ephemeral key, and records the session.

    POST {backend}/voice-therapist/session/start  {therapy_type, mood_before}
         -> {session_id, client_secret: {value, expires_at}, expires_at, therapy_type, start_time}
    POST {backend}/voice-therapist/session/{session_id}/end  {session_summary, mood_after}

The backend builds the session configuration itself, so `mint` ignores the one it is given. An end
that cannot be delivered is retried for about ten seconds, then kept in a small JSON queue that
`flush_pending` sends on the next start: the local history never depends on the backend.
The clinic token goes only into the Authorization header; no message, log or file holds it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from therapy_desktop.realtime.errors import (
    AuthenticationFailed,
    CredentialsMissing,
    NetworkUnreachable,
    RateLimited,
    RealtimeError,
    ServiceRequestFailed,
)
from therapy_desktop.realtime.http_api import EphemeralKey
from therapy_desktop.realtime.ice import is_loopback_host

log = logging.getLogger(__name__)

BACKEND_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
END_RETRY_SECONDS = 10.0
QUEUE_MAX_AGE_SECONDS = 14 * 24 * 3600  # an end nobody could deliver in two weeks is dropped

# -- the sentences a person sees (all of them, here) ---------------------------------------------------

def _not_a_url(url: str) -> str:
    return f"The clinic backend address {url!r} is not a web address. Enter it as https://clinic.example.org."


def _insecure(url: str) -> str:
    return (f"The clinic backend address {url} must start with https:// (plain http:// is allowed only for this "
            "computer: 127.0.0.1 or localhost). Ask your clinic for its https address.")


NO_TOKEN = ("No clinic token is set. Enter the token your clinic gave you in Settings, Clinic backend "
            "(or set THERAPY_DESKTOP_BACKEND_TOKEN).")


def _down(host: str) -> str:
    return (f"The clinic backend at {host} did not answer. Check that this computer is online and the address is "
            "right; if it is, the clinic's server may be down: try again later or ask your clinic.")


def _token_rejected(said: str) -> str:
    return (f"The clinic backend did not accept your clinic token. {said} Enter a new token in Settings, "
            "Clinic backend (or THERAPY_DESKTOP_BACKEND_TOKEN).")


def _daily_limit(resets_at: datetime | None) -> str:
    when = f" You can start a new one after {resets_at.astimezone().strftime('%H:%M on %A')}." if resets_at else ""
    return f"You have used all of today's sessions at your clinic.{when}"


def _too_fast(seconds: int | None) -> str:
    wait = f"in {seconds} seconds" if seconds else "in a minute"
    return f"Too many sessions were started in the last minute. Try again {wait}."


def _server_error(status: int, said: str) -> str:
    return said or (f"The clinic backend had a problem (HTTP {status}). Try again in a minute; if it keeps "
                    "happening, tell your clinic.")


def _not_a_backend(host: str) -> str:
    return f"{host} does not look like a clinic backend (it has no session service). Check the backend address."


def _unexpected(host: str) -> str:
    return f"The clinic backend at {host} answered with something unexpected. Check the backend address."


# -- the provider ----------------------------------------------------------------------------------

class EndOutcome(StrEnum):
    RECORDED = "recorded"      # the backend has the end
    QUEUED = "queued"          # kept locally; flush_pending sends it on the next start
    NOTHING_TO_END = "nothing_to_end"  # no session was started with the backend
    DROPPED = "dropped"        # the backend will never take it (the session is unknown there)


@dataclass(frozen=True)
class BackendSession:
    session_id: str
    therapy_type: str
    start_time: str
    expires_at: int


def check_backend_url(url: str) -> str:
    """`url` without a trailing slash, or `RealtimeError`: https, or http to this computer only."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RealtimeError(_not_a_url(url))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise RealtimeError(_insecure(_without_credentials(url)))
    return url


_is_loopback = is_loopback_host


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "the clinic backend")


class ClinicBackendKeyProvider:
    """An `EphemeralKeyProvider` whose keys come from the clinic's backend (one per session)."""

    label = "Clinic backend"
    # The clinic's server builds the session (instructions, tools, voice) into the key; the desktop
    # must not replace it with a session.update of its own.
    configures_session = False

    def __init__(
        self,
        backend_url: str,
        read_token: Callable[[], Awaitable[str | None]],
        therapy_type: str,
        mood_before: int | None,
        realtime_base_url: str,
        pending_path: Path,
        *,
        end_retry_seconds: float = END_RETRY_SECONDS,
    ) -> None:
        self.backend_url = backend_url.strip().rstrip("/")
        self._read_token = read_token
        self.therapy_type = therapy_type
        self.mood_before = mood_before
        self.realtime_base_url = realtime_base_url
        self.pending_path = pending_path
        self.end_retry_seconds = end_retry_seconds
        self.backend_session_id: str | None = None
        self.started: BackendSession | None = None
        self._queue_lock = asyncio.Lock()

    async def mint(self, http: httpx.AsyncClient, session: dict[str, Any]) -> EphemeralKey:
        """Start a session at the backend; `session` is ignored (the backend builds its own)."""
        url = check_backend_url(self.backend_url)
        token = await self._token()
        body = {"therapy_type": self.therapy_type, "mood_before": self.mood_before}
        response = await self._post(http, f"{url}/voice-therapist/session/start", token, body)
        if response.status_code != 200:
            raise _start_error(response, url)
        try:
            payload = response.json()
            secret = payload["client_secret"]
            value, expires_at = secret["value"], int(secret.get("expires_at") or payload["expires_at"])
            session_id = payload["session_id"]
            if not (isinstance(value, str) and value and isinstance(session_id, str) and session_id):
                raise ValueError("empty key or session id")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ServiceRequestFailed(_unexpected(_host(url)), status=response.status_code,
                                       detail=type(exc).__name__) from None
        self.backend_session_id = session_id
        self.started = BackendSession(session_id, str(payload.get("therapy_type", self.therapy_type)),
                                      str(payload.get("start_time", "")), expires_at)
        await self.flush_pending(http)  # the backend is up: deliver ends an earlier run could not
        return EphemeralKey(value, expires_at, {}, self.realtime_base_url)

    async def end(self, http: httpx.AsyncClient, summary: str | None, mood_after: int | None) -> EndOutcome:
        """Record the end at the backend, retrying transient failures for ~10 s, else queue it.
        Never raises: the session has ended locally whatever happens here."""
        if self.backend_session_id is None:
            return EndOutcome.NOTHING_TO_END
        entry = {"backend_url": self.backend_url, "session_id": self.backend_session_id,
                 "session_summary": summary, "mood_after": mood_after, "queued_at": time.time()}
        deadline = time.monotonic() + self.end_retry_seconds
        delay = 0.25
        while True:
            outcome = await self._deliver(http, entry)
            if outcome is EndOutcome.QUEUED:
                break
            if outcome is not None:
                self.backend_session_id = None
                return outcome
            if time.monotonic() + delay > deadline:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 4.0)
        await self._append_pending(entry)
        log.warning("the clinic backend could not record the end of session %s; queued it for the next start",
                    entry["session_id"])
        self.backend_session_id = None
        return EndOutcome.QUEUED

    async def flush_pending(self, http: httpx.AsyncClient) -> int:
        """Send the queued ends for this backend once each; how many the backend now has. Never raises."""
        async with self._queue_lock:
            pending = await asyncio.to_thread(_read_queue, self.pending_path)
            if not pending:
                return 0
            keep, delivered = [], 0
            for entry in pending:
                if entry.get("backend_url") != self.backend_url:
                    keep.append(entry)
                    continue
                if time.time() - float(entry.get("queued_at", 0)) > QUEUE_MAX_AGE_SECONDS:
                    log.warning("dropping the end of session %s: undelivered for two weeks", entry.get("session_id"))
                    continue
                outcome = await self._deliver(http, entry)
                if outcome is None or outcome is EndOutcome.QUEUED:
                    keep.append(entry)
                elif outcome is EndOutcome.RECORDED:
                    delivered += 1
            await asyncio.to_thread(_write_queue, self.pending_path, keep)
            return delivered

    # -- HTTP ------------------------------------------------------------------------------------

    async def _token(self) -> str:
        token = await self._read_token()
        if not token or not token.strip():
            raise CredentialsMissing(NO_TOKEN)
        return token.strip()

    async def _post(self, http: httpx.AsyncClient, url: str, token: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return await http.post(url, json=body, headers={"Authorization": f"Bearer {token}"},
                                   timeout=BACKEND_TIMEOUT)
        except httpx.HTTPError as exc:
            # Only the type: an exception's text can quote the request, the token among it.
            raise NetworkUnreachable(_down(_host(url)), detail=type(exc).__name__) from None

    async def _deliver(self, http: httpx.AsyncClient, entry: dict[str, Any]) -> EndOutcome | None:
        """One try. RECORDED or DROPPED when settled; QUEUED when only a later start can help (no
        token, a rejected one, a bad address); None when trying again soon may help (down, 5xx)."""
        try:
            url = check_backend_url(str(entry["backend_url"]))
            token = await self._token()
            response = await self._post(http, f"{url}/voice-therapist/session/{entry['session_id']}/end", token,
                                        {"session_summary": entry.get("session_summary"),
                                         "mood_after": entry.get("mood_after")})
        except RealtimeError as exc:
            log.info("ending the session at the clinic backend failed: %s", exc)
            return None if exc.retryable else EndOutcome.QUEUED
        status = response.status_code
        if status == 200:
            return EndOutcome.RECORDED
        if status == 404:
            log.warning("the clinic backend does not know session %s; not retrying its end", entry["session_id"])
            return EndOutcome.DROPPED
        log.info("ending the session at the clinic backend: HTTP %s", status)
        return None if status >= 500 or status == 429 else EndOutcome.QUEUED

    async def _append_pending(self, entry: dict[str, Any]) -> None:
        async with self._queue_lock:
            pending = await asyncio.to_thread(_read_queue, self.pending_path)
            await asyncio.to_thread(_write_queue, self.pending_path, [*pending, entry])


def _start_error(response: httpx.Response, url: str) -> RealtimeError:
    status = response.status_code
    error = _error_fields(response)
    said = str(error.get("message") or "").strip()
    code = error.get("code") if isinstance(error.get("code"), str) else None
    retry_after = _int(response.headers.get("Retry-After"))
    if status == 401:
        return AuthenticationFailed(_token_rejected(said), detail=code or "")
    if status == 429 and code == "daily_limit_reached":
        limited = RateLimited(_daily_limit(_datetime(error.get("resets_at"))), code=code)
        limited.retryable = False  # not before tomorrow
        return limited
    if status == 429:
        return RateLimited(_too_fast(retry_after), code=code)
    if status == 404 and code != "session_not_found":
        return ServiceRequestFailed(_not_a_backend(_host(url)), status=status, code=code)
    if status >= 500:
        return ServiceRequestFailed(_server_error(status, said), status=status, code=code)
    return ServiceRequestFailed(said or _unexpected(_host(url)), status=status, code=code)


def _error_fields(response: httpx.Response) -> dict[str, Any]:
    try:
        error = response.json()["error"]
        return error if isinstance(error, dict) else {}
    except (ValueError, KeyError, TypeError):
        return {}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _datetime(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# -- the queue file ------------------------------------------------------------------------------------

def _read_queue(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("the queue of unsent session ends at %s is unreadable (%s); starting it afresh", path,
                    type(exc).__name__)
        return []
    pending = data.get("pending") if isinstance(data, dict) else None
    return [e for e in pending if isinstance(e, dict) and "session_id" in e] if isinstance(pending, list) else []


def _write_queue(path: Path, pending: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"version": 1, "pending": pending}, indent=1), encoding="utf-8")
    os.replace(temporary, path)  # a crash mid-write leaves the old queue, never half a file
