"""Keeps a live call under the conversation: places it, watches it, and replaces it when it
drops, when the service expires it (`session_expired`), when the machine wakes from sleep, or at
a pause shortly before the service's time cap. Devices stay open throughout; each new call gets
a fresh ephemeral key and the conversation so far, before the person speaks again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from therapy_desktop.realtime import server_events as ev
from therapy_desktop.realtime.connection import RealtimeConnection
from therapy_desktop.realtime.errors import ConnectionLost, RealtimeError
from therapy_desktop.realtime.keys import EphemeralKeyProvider
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.session.call import SessionCall
from therapy_desktop.session.events import CallRenewal
from therapy_desktop.session.reconnect import ReconnectPolicy, call_with_backoff
from therapy_desktop.session.session_audio import SessionAudio
from therapy_desktop.session.texts import CONNECTION_NOT_RESTORED
from therapy_desktop.session.watchdog import CallWatchdog

log = logging.getLogger(__name__)

Restoration = tuple[list[dict[str, Any]], set[str]]  # events to send, the item ids they create


class CallKeeper:
    def __init__(
        self,
        provider: EphemeralKeyProvider,
        config: SessionConfig,
        audio: SessionAudio,
        policy: ReconnectPolicy,
        *,
        on_event: Callable[[ev.ServerEvent], None],
        on_opened: Callable[[SessionCall], None],
        on_down: Callable[[], None],
        on_renewed: Callable[[CallRenewal, set[str]], None],
        on_gave_up: Callable[[RealtimeError], None],
        restoration: Callable[[], Restoration],
        is_quiet: Callable[[], bool],
        connection_factory: Callable[..., RealtimeConnection] = RealtimeConnection,
    ) -> None:
        self._provider, self._config, self._audio, self.policy = provider, config, audio, policy
        self._on_event, self._on_opened, self._on_down, self._on_renewed, self._on_gave_up = on_event, on_opened, on_down, on_renewed, on_gave_up
        self._restoration, self._is_quiet = restoration, is_quiet
        self._connection_factory = connection_factory
        self.calls: list[SessionCall] = []  # every call that carried the conversation; the last is current
        self.watchdog = CallWatchdog(on_drop=self.renew, on_renew_due=lambda: self.renew("renewal"),
                                     silence_limit=policy.silence_limit, renew_after=policy.renew_after)
        self._http: httpx.AsyncClient | None = None
        self._renewing: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def call(self) -> SessionCall | None:
        return self.calls[-1] if self.calls else None

    @property
    def http(self) -> httpx.AsyncClient | None:
        """The session's HTTP client (keys, and side calls such as moderation)."""
        return self._http

    @property
    def renewing(self) -> bool:
        return self._renewing is not None

    async def open(self, open_devices: Callable[[], Awaitable[None]]) -> None:
        """The first call, opening the devices while its key is minted. Raises `RealtimeError`
        or `AudioError`: a session that never connected is not retried."""
        self._http = httpx.AsyncClient()
        await self._place_call(open_devices)

    def send(self, event: dict[str, Any]) -> None:
        if self.call is not None and self._renewing is None:
            self.call.send(event)

    def renew(self, cause: str) -> None:
        """Replace the call (a no-op while one replacement is already under way)."""
        if self._renewing is None and not self._closed and self.call is not None:
            log.info("renewing the call: %s", cause)
            self._renewing = asyncio.get_running_loop().create_task(self._renew(cause))

    async def close(self) -> None:
        self._closed = True
        self.watchdog.stop()
        if self._renewing is not None and self._renewing is not asyncio.current_task():
            self._renewing.cancel()
        if self.call is not None:
            await self.call.close()
        if self._http is not None:
            await self._http.aclose()

    async def _renew(self, cause: str) -> None:
        began, old = time.monotonic(), self.call
        self.watchdog.stop()
        self._audio.stop_uplink()  # the microphone sends nothing while there is no call
        self._audio.flush()
        self._on_down()
        if old is not None:
            await old.close()
        try:
            call = await call_with_backoff(self._place_call, self.policy)
        except RealtimeError as exc:
            self._renewing = None
            return self._on_gave_up(exc)
        except Exception:  # an aiortc/OS surprise: still a sentence and a "Try again"
            log.exception("reconnecting failed")
            self._renewing = None
            return self._on_gave_up(ConnectionLost(CONNECTION_NOT_RESTORED))
        events, restored_ids = self._restoration()
        for event in events:
            call.send(event)
        self._renewing = None
        renewal = CallRenewal(call.call_id, old.call_id if old else None, cause, round(time.monotonic() - began, 3))
        log.info("call renewed (%s) in %.2f s: %s -> %s", cause, renewal.seconds, renewal.previous_call_id, call.call_id)
        self._on_renewed(renewal, restored_ids)

    async def _place_call(self, open_devices: Callable[[], Awaitable[None]] | None = None) -> SessionCall:
        assert self._http is not None
        call = SessionCall(self._provider, self._config, on_event=lambda e: self._event(call, e),
                           on_remote_audio=self._audio.play, on_lost=lambda e: self._lost(call, e),
                           connection_factory=self._connection_factory)
        self.calls.append(call)
        try:
            await call.connect(self._http, self._audio.new_track, open_devices=open_devices)
        except BaseException:
            self.calls.remove(call)
            await call.close()
            raise
        self.watchdog.watch(call.opened_at or time.monotonic(),
                            lambda: max(call.last_event_at, self._audio.last_heard_at), self._is_quiet)
        self._on_opened(call)
        return call

    def _event(self, call: SessionCall, event: ev.ServerEvent) -> None:
        if call is not self.call or self._closed:
            return  # a late event from a call already replaced
        if isinstance(event, ev.ServerError) and event.code == "session_expired":
            return self.renew("session_expired")
        self._on_event(event)

    def _lost(self, call: SessionCall, error: RealtimeError) -> None:
        if call is self.call:
            log.info("call %s lost: %s", call.call_id, error)
            self.renew("dropped")
