"""One WebRTC call to a GA realtime API: peer connection, `oai-events` channel, SDP exchange.

A small facade over aiortc with our own state names. It knows nothing of therapy or audio
devices: it takes a track to send, hands over the remote track and the channel's messages as
typed events (an unreadable message becomes one `SkippedMessage`; nothing raised by parsing or
by the listener reaches aiortc's receive loop, which would close the call), and reports a
dropped call once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
from aiortc import MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription

from therapy_desktop.realtime import messages
from therapy_desktop.realtime.errors import CallSetupFailed, ConnectionLost, RealtimeError
from therapy_desktop.realtime.http_api import EphemeralKey, create_call
from therapy_desktop.realtime.ice import is_loopback_url, loopback_candidates
from therapy_desktop.realtime.inline_decoder import decode_audio_on_the_loop
from therapy_desktop.realtime.receive_buffer import shorten_audio_receive_buffers
from therapy_desktop.realtime.server_events import ServerEvent, read_server_event

log = logging.getLogger(__name__)

EVENTS_CHANNEL = "oai-events"
MAX_MESSAGE_BYTES = 64 * 1024  # aiortc advertises this much but does not enforce it
CLOSE_TIMEOUT = 5.0
# Host candidates connect in well under a second when a path exists; a blocked UDP path never
# does, and the person must hear so within 10 s of pressing Start (SDP exchange included).
ICE_TIMEOUT = 7.0


class ConnectionState(StrEnum):
    NEW = "new"
    CONNECTING = "connecting"
    OPEN = "open"
    CLOSED = "closed"
    FAILED = "failed"


@dataclass
class ConnectTimings:
    """Where the connect time went, in seconds (for benchmarks and logs)."""

    offer: float = 0.0  # createOffer + ICE gathering
    answer: float = 0.0  # the SDP POST
    transport: float = 0.0  # ICE + DTLS + SCTP until the channel is open
    marks: dict[str, float] = field(default_factory=dict)


class RealtimeConnection:
    def __init__(
        self,
        *,
        on_event: Callable[[ServerEvent], None],
        on_remote_audio: Callable[[MediaStreamTrack], None],
        on_lost: Callable[[RealtimeError], None],
        ice_servers: list[RTCIceServer] | None = None,
        open_timeout: float = ICE_TIMEOUT,
    ) -> None:
        self._on_event = on_event
        self._on_remote_audio = on_remote_audio
        self._on_lost = on_lost
        self._ice_servers = ice_servers or []  # no STUN: host candidates reach both OpenAI and loopback
        self._open_timeout = open_timeout
        self._pc: RTCPeerConnection | None = None
        self._channel: Any = None
        self._pending: list[str] = []
        self.state = ConnectionState.NEW
        self.call_id: str | None = None
        self.timings = ConnectTimings()
        self.last_event_at = time.monotonic()  # for the session's watchdog

    def _set_state(self, state: ConnectionState) -> None:
        if state != self.state:
            log.info("connection state %s -> %s", self.state, state)
            self.state = state

    async def open(self, http: httpx.AsyncClient, key: EphemeralKey, audio_track: MediaStreamTrack) -> None:
        """Set up the call. Raises a `RealtimeError`; on failure everything is closed again."""
        if self.state != ConnectionState.NEW:
            raise RuntimeError("a RealtimeConnection opens once")
        self._set_state(ConnectionState.CONNECTING)
        loop = asyncio.get_running_loop()
        channel_open: asyncio.Future[None] = loop.create_future()
        pc = self._pc = RTCPeerConnection(RTCConfiguration(iceServers=self._ice_servers))
        # The channel and the transceiver must exist before the offer: every SDP POST is a new call.
        channel = self._channel = pc.createDataChannel(EVENTS_CHANNEL)
        pc.addTrack(audio_track)
        shorten_audio_receive_buffers(pc)
        decode_audio_on_the_loop(pc)

        @channel.on("open")
        def _opened() -> None:
            if not channel_open.done():
                channel_open.set_result(None)

        @channel.on("message")
        def _message(message: str | bytes) -> None:
            self.deliver(message)

        @channel.on("close")
        def _channel_closed() -> None:
            self._lost("The voice connection closed unexpectedly.")

        @pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            if track.kind == "audio":
                self._on_remote_audio(track)

        @pc.on("iceconnectionstatechange")
        def _ice_state() -> None:
            log.info("ICE state: %s", pc.iceConnectionState)
            if pc.iceConnectionState == "failed":
                self._lost("The voice connection was lost (the network path to the service failed).")

        @pc.on("connectionstatechange")
        def _pc_state() -> None:
            log.info("peer connection state: %s", pc.connectionState)
            if pc.connectionState == "failed":
                if not channel_open.done():
                    channel_open.set_exception(CallSetupFailed(_UDP_HINT))
                self._lost("The voice connection was lost (no more audio from the service).")

        try:
            started = time.perf_counter()
            with loopback_candidates(is_loopback_url(key.base_url)):
                await pc.setLocalDescription(await pc.createOffer())
            self.timings.offer = time.perf_counter() - started
            started = time.perf_counter()
            answer = await create_call(http, key, pc.localDescription.sdp)
            self.timings.answer = time.perf_counter() - started
            self.call_id = answer.call_id
            started = time.perf_counter()
            try:
                await pc.setRemoteDescription(RTCSessionDescription(sdp=answer.sdp, type="answer"))
            except ValueError as exc:  # aiortc's SDP parser and validation
                raise CallSetupFailed("The service's answer to the call could not be used.", detail=str(exc)) from None
            try:
                await asyncio.wait_for(asyncio.shield(channel_open), self._open_timeout)
            except asyncio.TimeoutError:
                raise CallSetupFailed(_UDP_HINT, detail=f"ICE state {pc.iceConnectionState} after {self._open_timeout:.0f} s") from None
            self.timings.transport = time.perf_counter() - started
        except BaseException:
            self._set_state(ConnectionState.FAILED)
            await self._close_pc()
            raise
        self._set_state(ConnectionState.OPEN)
        log.info(
            "call %s open: offer %.0f ms, answer %.0f ms, transport %.0f ms",
            self.call_id,
            self.timings.offer * 1000,
            self.timings.answer * 1000,
            self.timings.transport * 1000,
        )
        for message in self._pending:
            channel.send(message)
        self._pending.clear()

    def deliver(self, message: str | bytes) -> None:
        """One data-channel message → `on_event`. Never raises."""
        self.last_event_at = time.monotonic()
        event = read_server_event(message)
        try:
            self._on_event(event)
        except Exception:  # a listener's bug must not close the call from inside aiortc
            log.exception("handling %s failed", type(event).__name__)

    def send(self, event: dict[str, Any]) -> None:
        """Send a client event; before the channel is open it waits in a queue."""
        message = json.dumps(event, separators=(",", ":"))
        if len(message.encode()) > MAX_MESSAGE_BYTES:
            raise ValueError(f"{event.get('type')} is larger than {MAX_MESSAGE_BYTES} bytes")
        if self.state == ConnectionState.OPEN:
            self._channel.send(message)
        elif self.state in (ConnectionState.NEW, ConnectionState.CONNECTING):
            self._pending.append(message)
        else:
            log.debug("dropped %s: connection is %s", event.get("type"), self.state)

    def _lost(self, message: str) -> None:
        if self.state == ConnectionState.OPEN:
            self._set_state(ConnectionState.FAILED)
            self._on_lost(ConnectionLost(message))

    async def close(self) -> None:
        """Hang up. Safe to call twice and from any state."""
        if self.state not in (ConnectionState.CLOSED, ConnectionState.FAILED):
            self._set_state(ConnectionState.CLOSED)
        await self._close_pc()

    async def _close_pc(self) -> None:
        pc, self._pc = self._pc, None
        if pc is None:
            return
        try:
            # aiortc's close can hang on a dead transport (aiortc#283): never wait for ever.
            await asyncio.wait_for(pc.close(), CLOSE_TIMEOUT)
        except (asyncio.TimeoutError, Exception) as exc:  # noqa: BLE001 - closing must not raise
            log.warning("closing the peer connection: %s", type(exc).__name__)


_UDP_HINT = messages.udp_blocked()
