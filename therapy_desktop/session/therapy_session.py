"""One therapy session: its life from Connecting to Ended, across as many calls as it takes.

No Qt; the window and the headless runner drive it and listen to `events`. What the server's
events mean lives in `Conversation`; the devices in `SessionAudio`; the calls in `CallKeeper`,
which replaces a dropped or expiring call while this state machine and its conversation go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.errors import AudioError
from therapy_desktop.realtime import client_events
from therapy_desktop.realtime import server_events as ev
from therapy_desktop.realtime.connection import RealtimeConnection
from therapy_desktop.realtime.errors import RealtimeError
from therapy_desktop.realtime.keys import EphemeralKeyProvider
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.redaction import redact
from therapy_desktop.session import texts
from therapy_desktop.session.barge_in import BargeIn
from therapy_desktop.session.call_keeper import CallKeeper
from therapy_desktop.session.conversation import Conversation, ConversationActions
from therapy_desktop.session.events import CallOpened, CallRenewal, SessionEvents
from therapy_desktop.session.limits import SessionLimits
from therapy_desktop.session.model_notes import ModelNotes
from therapy_desktop.session.reconnect import ReconnectPolicy, restoration_events
from therapy_desktop.session.safety_watch import SafetyWatch
from therapy_desktop.session.session_audio import SessionAudio
from therapy_desktop.session.state import EndReason, SessionOutcome, SessionState
from therapy_desktop.therapy import SessionSummary, TherapyType, build_instructions, tool_definitions

log = logging.getLogger(__name__)

DRAIN_TIMEOUT = 15.0


class TherapySession:
    def __init__(
        self,
        therapy_type: TherapyType,
        key_provider: EphemeralKeyProvider,
        audio: AudioEndpoints,
        *,
        config: SessionConfig | None = None,
        connection_factory: Callable[..., RealtimeConnection] = RealtimeConnection,
        reconnect: ReconnectPolicy | None = None,
        limits: SessionLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        last_use: datetime | None = None,
    ) -> None:
        self.therapy_type = therapy_type
        self.config = config or SessionConfig(instructions=build_instructions(therapy_type), tools=tool_definitions())
        self.state = SessionState.IDLE
        self.outcome: SessionOutcome | None = None
        self.events = e = SessionEvents()
        self.audio = SessionAudio(audio, on_level=e.mic_level_did_change.emit, on_paused=e.mic_paused_did_change.emit,
                                  ai_has_turn=lambda: self.conversation.answering)
        self.conversation = c = Conversation(ConversationActions(
            send=self._send, flush_playback=self.audio.flush,
            remote_speaking_changed=self.audio.set_remote_speaking, changed=self._settle,
            speech_started=lambda: self.barge_in.speech_started(),
        ))
        self.barge_in = BargeIn(self.audio, c, send=self._send, turn_detection=self.config.turn_detection.to_dict)
        e.call_did_open.connect(lambda _: self.barge_in.call_opened())
        c.tool_did_run.connect(e.tool_did_run.emit)
        c.error_did_occur.connect(e.error_did_occur.emit)
        c.usage_did_arrive.connect(e.usage_did_arrive.emit)
        self.transcript = c.transcript
        self.calls = CallKeeper(
            key_provider, self.config, self.audio, reconnect or ReconnectPolicy(),
            on_event=self._on_event, on_down=self._call_down,
            on_opened=lambda call: e.call_did_open.emit(CallOpened(call.call_id, call.key_expires_at)), on_renewed=self._call_renewed,
            on_gave_up=self._gave_up, restoration=lambda: restoration_events(self.transcript.visible_items()),
            is_quiet=lambda: self.is_quiet, connection_factory=connection_factory,
        )
        self.notes = ModelNotes(
            self._send, in_call=lambda: self.state.is_in_call, ask_for_reply=lambda: c.ask_for_reply(waiting=False),
            is_quiet=lambda: self.is_quiet, events=e, limits=limits or SessionLimits(), clock=clock,
            on_overrun=lambda: self._spawn_end(EndReason.LIMIT),
        )
        self.timer = self.notes.timer
        moderate = getattr(key_provider, "moderate", None)
        self.safety = SafetyWatch(send=self._send, is_quiet=lambda: self.is_quiet, last_use=last_use,
                                  moderate=(lambda text: moderate(self.calls.http, text)) if moderate else None)
        self.safety.watch(e, self.transcript)
        self._finishing: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._ended = asyncio.Event()

    @property
    def summary(self) -> SessionSummary | None:
        return self.conversation.summary

    @property
    def is_quiet(self) -> bool:
        """Nobody speaks, nothing is being generated or played, no tool call waits."""
        return not (self.conversation.busy or self.audio.is_playing)

    async def start(self) -> None:
        """Connect and configure. Failures end the session in the error state; cancelling it
        (hanging up while connecting) ends it as the person's choice."""
        if self.state != SessionState.IDLE:
            raise RuntimeError("a TherapySession starts once")
        self._set_state(SessionState.CONNECTING)
        try:
            await self.calls.open(open_devices=self.audio.open)
        except (RealtimeError, AudioError) as exc:
            return await self._close(EndReason.ERROR, str(exc))
        except asyncio.CancelledError:
            await self._close(EndReason.USER)
            raise
        except Exception as exc:  # a bug or an aiortc/OS surprise: still a sentence, never a crash
            log.exception("starting the session failed")
            return await self._close(EndReason.ERROR, texts.START_FAILED.format(kind=type(exc).__name__, detail=exc))
        self._set_state(SessionState.LISTENING)
        self.timer.start()
        self._settle()

    def send_text(self, text: str) -> None:
        """A typed message from the person; the AI companion answers it as if spoken."""
        if text.strip() and self.state.is_in_call:
            self._send(client_events.user_text_message(text.strip()))
            self.conversation.ask_for_reply()

    def _spawn_end(self, reason: EndReason) -> None:
        if self._closing is None:
            self._finishing = asyncio.get_running_loop().create_task(self.end(reason))

    def retry(self) -> None:
        """"Try again" once reconnecting gave up: the same conversation on a new call."""
        if self.state is SessionState.DISCONNECTED:
            self._set_state(SessionState.RECONNECTING)
            self.calls.renew("resumed")

    async def end(self, reason: EndReason = EndReason.USER) -> None:
        """Hang up and release the devices; the transcript stays. Safe to call twice and from any
        state: later calls wait for the first one's hang-up instead of starting another."""
        await self._close(reason)

    async def wait_ended(self) -> SessionOutcome:
        await self._ended.wait()
        assert self.outcome is not None
        return self.outcome

    async def _close(self, reason: EndReason, error: str | None = None) -> None:
        if self.state is SessionState.IDLE:
            return self._set_state(SessionState.ENDED)
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._shut_down(reason, error))
        await asyncio.shield(self._closing)  # a caller cancelled (a window closing) must not cut it short

    async def _shut_down(self, reason: EndReason, error: str | None) -> None:
        error = redact(error) if error else None
        self._set_state(SessionState.ENDING)
        self.timer.stop()
        self.conversation.close()
        self.barge_in.close()
        if self._finishing is not None and self._finishing is not asyncio.current_task():
            self._finishing.cancel()
        await self.calls.close()
        try:
            await self.audio.close()
        except AudioError as exc:
            self.events.error_did_occur.emit(str(exc))
        self.conversation.call_changed(set())  # a reply cut off by the hang-up says so
        self.outcome = SessionOutcome(reason=reason, summary=self.summary, error=error)
        self._set_state(SessionState.ERROR if error else SessionState.ENDED)
        if error:
            log.warning("session failed: %s", error)
            self.events.error_did_occur.emit(error)
        self._ended.set()
        self.events.session_did_end.emit(self.outcome)

    # -- what the calls report -----------------------------------------------------------------

    def _on_event(self, event: ev.ServerEvent) -> None:
        self.barge_in.on_event(event)
        self.conversation.apply(event)
        self._settle()

    def _call_down(self) -> None:
        self._set_state(SessionState.RECONNECTING)
        self.conversation.call_changed(set())

    def _call_renewed(self, renewal: CallRenewal, restored_ids: set[str]) -> None:
        self.conversation.call_changed(restored_ids)
        self._set_state(SessionState.LISTENING)
        self.events.call_did_renew.emit(renewal)
        self._settle()

    def _gave_up(self, error: RealtimeError) -> None:
        self._set_state(SessionState.DISCONNECTED)
        self.events.error_did_occur.emit(texts.RECONNECT_GAVE_UP.format(error=str(error).rstrip(".")))

    def _send(self, event: dict) -> None:
        self.calls.send(event)

    def _set_state(self, state: SessionState) -> None:
        if state != self.state:
            log.info("session state %s -> %s", self.state, state)
            self.state = state
            self.events.state_did_change.emit(state)

    def _settle(self) -> None:
        """The live state that follows from what is going on now; after the summary, once the
        goodbye has been generated, let it finish playing, then end."""
        if not self.state.is_in_call:
            return
        c = self.conversation
        self._set_state(SessionState.USER_SPEAKING if c.user_speaking else SessionState.THERAPIST_SPEAKING
                        if c.remote_speaking else SessionState.THINKING if c.busy else SessionState.LISTENING)
        if c.end_requested and not c.busy and self._finishing is None:
            self._finishing = asyncio.get_running_loop().create_task(self._finish_after_playback())

    async def _finish_after_playback(self) -> None:
        await self.audio.played_out(DRAIN_TIMEOUT)
        await self.end(EndReason.SUMMARY)
