"""One call of a session: a fresh ephemeral key, the WebRTC connection, the session
configuration sent and confirmed. A call can be thrown away and replaced (a drop, the
service's time cap) while the session, its conversation and its devices live on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiortc import MediaStreamTrack

from therapy_desktop.audio.errors import AudioError
from therapy_desktop.realtime import client_events
from therapy_desktop.realtime import server_events as ev
from therapy_desktop.realtime.connection import RealtimeConnection
from therapy_desktop.realtime.errors import RealtimeError
from therapy_desktop.realtime.http_api import EphemeralKey
from therapy_desktop.realtime.keys import EphemeralKeyProvider, configures_session
from therapy_desktop.realtime.session_config import SessionConfig

log = logging.getLogger(__name__)

SESSION_UPDATED_TIMEOUT = 5.0
KEY_FIRST_WAIT = 1.0


@dataclass
class ConnectReport:
    """Seconds spent in each step of connecting (logged, and read by the benchmarks)."""

    key: float = 0.0
    offer: float = 0.0
    answer: float = 0.0
    transport: float = 0.0
    session_updated: float = 0.0
    total: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


class SessionCall:
    def __init__(
        self,
        provider: EphemeralKeyProvider,
        config: SessionConfig,
        *,
        on_event: Callable[[ev.ServerEvent], None],
        on_remote_audio: Callable[[MediaStreamTrack], None],
        on_lost: Callable[[RealtimeError], None],
        connection_factory: Callable[..., RealtimeConnection] = RealtimeConnection,
    ) -> None:
        self._provider = provider
        self._config = config
        self._on_event = on_event
        self._on_remote_audio = on_remote_audio
        self._on_lost = on_lost
        self._connection_factory = connection_factory
        self._connection: RealtimeConnection | None = None
        self._updated = asyncio.Event()
        self.report = ConnectReport()
        self.call_id: str | None = None
        self.key_expires_at: int | None = None
        self.opened_at: float | None = None  # time.monotonic() once the call carries the conversation

    async def connect(
        self,
        http: httpx.AsyncClient,
        new_track: Callable[[], MediaStreamTrack],
        *,
        open_devices: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Mint a key (opening the devices meanwhile, on a first call), place the call, send the
        configuration. Raises `RealtimeError` or `AudioError`; on failure nothing stays open."""
        started = time.perf_counter()
        minting = asyncio.ensure_future(self._provider.mint(http, self._config.to_session()))
        minting.add_done_callback(lambda _: setattr(self.report, "key", time.perf_counter() - started))
        try:
            if open_devices is not None:
                await _open_devices_while_minting(open_devices, minting)
                self.report.extra["devices"] = time.perf_counter() - started
            key: EphemeralKey = await minting
        finally:
            if not minting.done():
                minting.cancel()
            elif not minting.cancelled():
                minting.exception()  # retrieved: a device error already explains the failure
        self.key_expires_at = key.expires_at
        connection = self._connection = self._connection_factory(
            on_event=self._event, on_remote_audio=self._on_remote_audio, on_lost=self._on_lost
        )
        await connection.open(http, key, new_track())
        self.call_id = connection.call_id
        if configures_session(self._provider):
            connection.send(client_events.session_update(self._config))
        mark = time.perf_counter()
        try:
            await asyncio.wait_for(self._updated.wait(), SESSION_UPDATED_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("no session.updated within %.0f s; going on with the key's session", SESSION_UPDATED_TIMEOUT)
        self._record_timings(connection, started, mark)
        self.opened_at = time.monotonic()

    def _event(self, event: ev.ServerEvent) -> None:
        # Configured by us: wait for our update to be confirmed; else the server's session stands.
        confirmed = ev.SessionUpdated if configures_session(self._provider) else (ev.SessionCreated, ev.SessionUpdated)
        if isinstance(event, confirmed):
            self._updated.set()
        self._on_event(event)

    def send(self, event: dict[str, Any]) -> None:
        if self._connection is not None:
            self._connection.send(event)

    @property
    def last_event_at(self) -> float:
        return self._connection.last_event_at if self._connection is not None else 0.0

    async def close(self) -> None:
        """Hang up; safe to call twice."""
        if self._connection is not None:
            await self._connection.close()

    def _record_timings(self, connection: RealtimeConnection, started: float, mark: float) -> None:
        report, timings = self.report, connection.timings
        report.offer, report.answer, report.transport = timings.offer, timings.answer, timings.transport
        report.session_updated = time.perf_counter() - mark
        report.total = time.perf_counter() - started
        log.info(
            "call %s connected in %.0f ms (key %.0f, offer %.0f, answer %.0f, transport %.0f, session.updated %.0f)",
            self.call_id,
            *(v * 1000 for v in (report.total, report.key, report.offer, report.answer, report.transport, report.session_updated)),
        )


async def _open_devices_while_minting(open_devices: Callable[[], Awaitable[None]], minting: asyncio.Future[Any]) -> None:
    """The key and the devices do not depend on each other. If the devices fail, a failing key
    is reported instead: it says more, and is fixed first (it fails fast when there is none)."""
    try:
        await open_devices()
    except AudioError:
        with contextlib.suppress(asyncio.TimeoutError, RealtimeError):
            await asyncio.wait_for(asyncio.shield(minting), KEY_FIRST_WAIT)
        key_error = minting.exception() if minting.done() and not minting.cancelled() else None
        if isinstance(key_error, RealtimeError):
            raise key_error from None
        raise
