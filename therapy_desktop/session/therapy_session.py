"""One therapy session: connect, talk, end. No Qt; the UI and the headless runner both drive it
and listen to its hooks. What the server's events mean lives in `Conversation`; this module
owns the devices, the call and the session's life."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from aiortc import MediaStreamTrack

from therapy_desktop.audio.echo_gate import HalfDuplexGate
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.errors import AudioError
from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio.player import RemoteAudioPlayer
from therapy_desktop.audio.sources import AudioSource
from therapy_desktop.realtime import client_events
from therapy_desktop.realtime import server_events as ev
from therapy_desktop.realtime.connection import RealtimeConnection
from therapy_desktop.realtime.errors import RealtimeError
from therapy_desktop.realtime.keys import EphemeralKeyProvider
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.redaction import redact
from therapy_desktop.session.conversation import Conversation, ConversationActions
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.state import SessionOutcome, SessionState
from therapy_desktop.therapy import SessionSummary, TherapyType, ToolResult, build_instructions, tool_definitions

log = logging.getLogger(__name__)

SESSION_UPDATED_TIMEOUT = 5.0
KEY_FIRST_WAIT = 1.0
DRAIN_TIMEOUT = 15.0


@dataclass
class ConnectReport:
    """Seconds spent in each step of `start()` (logged, and read by the benchmarks)."""

    key: float = 0.0
    offer: float = 0.0
    answer: float = 0.0
    transport: float = 0.0
    session_updated: float = 0.0
    total: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


class TherapySession:
    def __init__(
        self,
        therapy_type: TherapyType,
        key_provider: EphemeralKeyProvider,
        audio: AudioEndpoints,
        *,
        config: SessionConfig | None = None,
        connection_factory: Callable[..., RealtimeConnection] = RealtimeConnection,
    ) -> None:
        self.therapy_type = therapy_type
        self.key_provider = key_provider
        self.audio = audio
        self.config = config or SessionConfig(instructions=build_instructions(therapy_type), tools=tool_definitions())
        self.state = SessionState.IDLE
        self.call_id: str | None = None
        self.key_expires_at: int | None = None
        self.outcome: SessionOutcome | None = None
        self.connect_report = ConnectReport()
        self.conversation = Conversation(
            ConversationActions(
                send=self._send,
                flush_playback=self._flush_playback,
                remote_speaking_changed=self._remote_speaking_changed,
                changed=self._on_conversation_changed,
            )
        )
        self.transcript = self.conversation.transcript
        # Hooks, named <subject>_did_<verb>; all fire on the loop thread.
        self.state_did_change: Hook[SessionState] = Hook("state_did_change")
        self.error_did_occur: Hook[str] = Hook("error_did_occur")  # a sentence for the person
        self.mic_level_did_change: Hook[float] = Hook("mic_level_did_change")
        self.mic_paused_did_change: Hook[bool] = Hook("mic_paused_did_change")  # muted while the therapist speaks
        self.tool_did_run: Hook[ToolResult] = self.conversation.tool_did_run
        self.session_did_end: Hook[SessionOutcome] = Hook("session_did_end")
        self.conversation.error_did_occur.connect(self.error_did_occur.emit)

        self._connection_factory = connection_factory
        self._http: httpx.AsyncClient | None = None
        self._connection: RealtimeConnection | None = None
        self._source: AudioSource | None = None
        self._player: RemoteAudioPlayer | None = None
        self._gate: HalfDuplexGate | None = None
        self._track: MicrophoneTrack | None = None
        self._finish_task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._warned_malformed = False
        self._ended = asyncio.Event()

    @property
    def summary(self) -> SessionSummary | None:
        return self.conversation.summary

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect and configure. Failures end the session in the error state; cancelling it
        (hanging up while connecting) ends it as the person's choice."""
        if self.state != SessionState.IDLE:
            raise RuntimeError("a TherapySession starts once")
        self._set_state(SessionState.CONNECTING)
        started = time.perf_counter()
        try:
            await self._connect(started)
        except (RealtimeError, AudioError) as exc:
            await self._close("error", str(exc))
            return
        except asyncio.CancelledError:
            await self._close("user")
            raise
        except Exception as exc:  # a bug or an aiortc/OS surprise: still a sentence, never a crash
            log.exception("starting the session failed")
            await self._close("error", f"Could not start the session ({type(exc).__name__}: {exc}).")
            return
        if self.state == SessionState.CONNECTING:
            self._set_state(SessionState.LISTENING)
            self._settle_state()

    async def _connect(self, started: float) -> None:
        self._http = httpx.AsyncClient()
        # The key and the devices do not depend on each other: open the devices while it is minted.
        minting = asyncio.ensure_future(self.key_provider.mint(self._http, self.config.to_session()))
        minting.add_done_callback(lambda _: setattr(self.connect_report, "key", time.perf_counter() - started))
        try:
            try:
                self._source = await self.audio.open_source()
                self._player = RemoteAudioPlayer(await self.audio.open_sink())
                await self._player.start()
            except AudioError:
                # A missing key says more than a missing speaker, and is fixed first: if the key
                # fails too (it fails fast when there is none), report that.
                with contextlib.suppress(asyncio.TimeoutError, RealtimeError):
                    await asyncio.wait_for(asyncio.shield(minting), KEY_FIRST_WAIT)
                key_error = minting.exception() if minting.done() and not minting.cancelled() else None
                if isinstance(key_error, RealtimeError):
                    raise key_error from None
                raise
            self.connect_report.extra["devices"] = time.perf_counter() - started
            key = await minting
        finally:
            if not minting.done():
                minting.cancel()
            elif not minting.cancelled():
                minting.exception()  # retrieved: a device error already explains the failure
        self.key_expires_at = key.expires_at
        self._gate = HalfDuplexGate(self._player.buffer)
        self._track = MicrophoneTrack(
            self._source,
            muted=self._gate.muted,
            on_level=self.mic_level_did_change.emit,
            on_muted=self.mic_paused_did_change.emit,
        )
        self._connection = self._connection_factory(
            on_message=self._on_message, on_remote_audio=self._on_remote_audio, on_lost=self._on_lost
        )
        await self._connection.open(self._http, key, self._track)
        self.call_id = self._connection.call_id
        self._connection.send(client_events.session_update(self.config))
        mark = time.perf_counter()
        try:
            await asyncio.wait_for(self.conversation.session_updated.wait(), SESSION_UPDATED_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("no session.updated within %.0f s; going on with the key's session", SESSION_UPDATED_TIMEOUT)
        self._record_connect_timings(started, mark)

    def _record_connect_timings(self, started: float, mark: float) -> None:
        assert self._connection is not None
        report, timings = self.connect_report, self._connection.timings
        report.offer, report.answer, report.transport = timings.offer, timings.answer, timings.transport
        report.session_updated = time.perf_counter() - mark
        report.total = time.perf_counter() - started
        log.info(
            "connected in %.0f ms (key %.0f, offer %.0f, answer %.0f, transport %.0f, session.updated %.0f)",
            *(v * 1000 for v in (report.total, report.key, report.offer, report.answer, report.transport, report.session_updated)),
        )

    async def end(self, reason: str = "user") -> None:
        """Hang up and release the devices; the transcript stays. Safe to call twice and from any
        state: later calls wait for the first one's hang-up instead of starting another."""
        await self._close(reason)

    async def wait_ended(self) -> SessionOutcome:
        await self._ended.wait()
        assert self.outcome is not None
        return self.outcome

    async def _close(self, reason: str, error: str | None = None) -> None:
        if self.state is SessionState.IDLE:
            self._set_state(SessionState.ENDED)
            return
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._shut_down(reason, error))
        # Shielded: a caller that is cancelled (a window closing) must not cut the hang-up short.
        await asyncio.shield(self._closing)

    async def _shut_down(self, reason: str, error: str | None) -> None:
        if error:
            error = redact(error)
            log.warning("session failed: %s", error)  # the person sees it through error_did_occur
        self._set_state(SessionState.ENDING)
        await self._teardown()
        for item in self.transcript.visible_items():  # a reply cut off by the hang-up says so
            if item.role == "assistant" and not item.final:
                self.transcript.mark(item.item_id, "interrupted")
        self.outcome = SessionOutcome(reason=reason, summary=self.summary, error=error)
        self._set_state(SessionState.ERROR if error else SessionState.ENDED)
        if error:
            self.error_did_occur.emit(error)
        self._ended.set()
        self.session_did_end.emit(self.outcome)

    async def _teardown(self) -> None:
        self.conversation.close()
        if self._finish_task is not None and self._finish_task is not asyncio.current_task():
            self._finish_task.cancel()
        if self._track is not None:
            self._track.stop()
        if self._connection is not None:
            await self._connection.close()
        if self._player is not None:
            try:
                await self._player.close()
            except AudioError as exc:
                self.error_did_occur.emit(str(exc))
            self._player = None
        if self._source is not None:
            source, self._source = self._source, None
            await asyncio.to_thread(source.close)  # stopping a PortAudio stream can take 200 ms
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- what the person's side looks like ------------------------------------------------------

    @property
    def mic_exhausted(self) -> bool:
        """A file microphone has been played to the end (headless runs)."""
        return self._source is not None and self._source.exhausted

    @property
    def mic_seconds(self) -> float | None:
        """The length of a file microphone; None for a device."""
        return getattr(self._source, "duration", None)

    @property
    def is_quiet(self) -> bool:
        """Nobody speaks, nothing is being generated or played, no tool call waits."""
        playing = self._player is not None and self._player.is_playing
        return not (self.conversation.busy or playing)

    def _set_state(self, state: SessionState) -> None:
        if state != self.state:
            log.info("session state %s -> %s", self.state, state)
            self.state = state
            self.state_did_change.emit(state)

    def _settle_state(self) -> None:
        """The live state that follows from what is going on now."""
        if not self.state.is_live or self.state in (SessionState.CONNECTING, SessionState.ENDING):
            return
        c = self.conversation
        if c.user_speaking:
            self._set_state(SessionState.USER_SPEAKING)
        elif c.remote_speaking:
            self._set_state(SessionState.THERAPIST_SPEAKING)
        elif c.busy:
            self._set_state(SessionState.THINKING)
        else:
            self._set_state(SessionState.LISTENING)

    # -- connection and conversation callbacks --------------------------------------------------

    def _on_remote_audio(self, track: MediaStreamTrack) -> None:
        if self._player is not None:
            self._player.play(track)

    def _on_lost(self, error: RealtimeError) -> None:
        if self.state.is_live and self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(
                self._shut_down("error", f"{error} Your conversation so far is kept.")
            )

    def _on_message(self, message: str) -> None:
        try:
            event = ev.parse_server_event(message)
        except ev.MalformedEvent as exc:
            log.warning("skipped a malformed server event: %s", exc)
            if not self._warned_malformed:
                self._warned_malformed = True
                self.error_did_occur.emit("The service sent a message the app could not read; it was skipped.")
            return
        try:
            self.conversation.apply(event)
        except Exception:  # one bad event must not end the session
            log.exception("handling %s failed", type(event).__name__)
        self._on_conversation_changed()

    def _on_conversation_changed(self) -> None:
        self._settle_state()
        self._maybe_finish()

    def _send(self, event: dict) -> None:
        if self._connection is not None:
            self._connection.send(event)

    def _flush_playback(self) -> None:
        if self._player is not None:
            self._player.flush()

    def _remote_speaking_changed(self, speaking: bool) -> None:
        if self._gate is not None:
            self._gate.remote_speaking = speaking

    # -- ending after the summary ---------------------------------------------------------------

    def _maybe_finish(self) -> None:
        """After end_session_summary: once the goodbye has been generated and sent, let it finish
        playing, then end."""
        if not self.conversation.end_requested or self._finish_task is not None or self._closing is not None:
            return
        if self.conversation.busy:
            return
        self._finish_task = asyncio.get_running_loop().create_task(self._finish_after_playback())

    async def _finish_after_playback(self) -> None:
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while self._player is not None and self._player.is_playing and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self.end(reason="summary")
