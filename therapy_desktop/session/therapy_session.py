"""One therapy session: connect, talk, run tools, end. No Qt; the UI and the headless runner
both drive it and listen to its hooks."""

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
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.tool_calls import ToolCallQueue
from therapy_desktop.session.transcript import ASSISTANT, USER, Transcript
from therapy_desktop.therapy import SessionSummary, TherapyType, ToolResult, build_instructions, tool_definitions

log = logging.getLogger(__name__)

SESSION_UPDATED_TIMEOUT = 5.0
DRAIN_TIMEOUT = 15.0
REPLY_WAIT = 8.0  # after the person stops speaking, how long a reply counts as on its way


@dataclass
class SessionOutcome:
    reason: str  # user | summary | error
    summary: SessionSummary | None = None
    error: str | None = None


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
        self.transcript = Transcript()
        self.state = SessionState.IDLE
        self.call_id: str | None = None
        self.key_expires_at: int | None = None
        self.summary: SessionSummary | None = None
        self.outcome: SessionOutcome | None = None
        self.connect_report = ConnectReport()
        self._connection_factory = connection_factory
        # Hooks, named <subject>_did_<verb>; all fire on the loop thread.
        self.state_did_change: Hook[SessionState] = Hook("state_did_change")
        self.error_did_occur: Hook[str] = Hook("error_did_occur")  # a sentence for the person
        self.mic_level_did_change: Hook[float] = Hook("mic_level_did_change")
        self.tool_did_run: Hook[ToolResult] = Hook("tool_did_run")
        self.session_did_end: Hook[SessionOutcome] = Hook("session_did_end")

        self._http: httpx.AsyncClient | None = None
        self._connection: RealtimeConnection | None = None
        self._source: AudioSource | None = None
        self._player: RemoteAudioPlayer | None = None
        self._gate: HalfDuplexGate | None = None
        self._track: MicrophoneTrack | None = None
        self._session_updated = asyncio.Event()
        self._active_responses: set[str | None] = set()
        self._tool_calls = ToolCallQueue()
        self._user_speaking = False
        self._remote_speaking = False
        self._end_after_reply = False
        self._awaiting_reply_since: float | None = None
        self._finish_task: asyncio.Task[None] | None = None
        self._warned_malformed = False
        self._ended = asyncio.Event()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect and configure. Raises nothing: failures end the session in the error state."""
        if self.state != SessionState.IDLE:
            raise RuntimeError("a TherapySession starts once")
        self._set_state(SessionState.CONNECTING)
        started = time.perf_counter()
        try:
            self._http = httpx.AsyncClient()
            key = await self.key_provider.mint(self._http, self.config.to_session())
            self.key_expires_at = key.expires_at
            self.connect_report.key = time.perf_counter() - started
            self._source = await self.audio.open_source()
            sink = await self.audio.open_sink()
            self._player = RemoteAudioPlayer(sink)
            self._gate = HalfDuplexGate(self._player.buffer) if self.audio.needs_echo_gate else None
            self._track = MicrophoneTrack(
                self._source,
                muted=self._gate.muted if self._gate else None,
                on_level=self.mic_level_did_change.emit,
            )
            self._connection = self._connection_factory(
                on_message=self._on_message, on_remote_audio=self._on_remote_audio, on_lost=self._on_lost
            )
            await self._connection.open(self._http, key, self._track)
            self.call_id = self._connection.call_id
            self._connection.send(client_events.session_update(self.config))
            mark = time.perf_counter()
            try:
                await asyncio.wait_for(self._session_updated.wait(), SESSION_UPDATED_TIMEOUT)
            except asyncio.TimeoutError:
                log.warning("no session.updated within %.0f s; going on with the key's session", SESSION_UPDATED_TIMEOUT)
            self._record_connect_timings(started, mark)
        except (RealtimeError, AudioError) as exc:
            await self._fail(str(exc))
            return
        except Exception as exc:  # a bug or an aiortc/OS surprise: still a sentence, never a crash
            log.exception("starting the session failed")
            await self._fail(f"Could not start the session ({type(exc).__name__}: {exc}).")
            return
        except asyncio.CancelledError:  # hung up while connecting
            await self._teardown()
            self._finish_ended("user")
            raise
        if self.state == SessionState.CONNECTING:
            self._set_state(SessionState.LISTENING)

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
        """Hang up and release the devices. The transcript stays. Safe to call twice."""
        if self.state in (SessionState.ENDED, SessionState.ERROR) or self.state == SessionState.ENDING:
            return
        self._set_state(SessionState.ENDING)
        await self._teardown()
        self._finish_ended(reason)

    def _finish_ended(self, reason: str) -> None:
        self.outcome = SessionOutcome(reason=reason, summary=self.summary)
        self._set_state(SessionState.ENDED)
        self._ended.set()
        self.session_did_end.emit(self.outcome)

    async def wait_ended(self) -> SessionOutcome:
        await self._ended.wait()
        assert self.outcome is not None
        return self.outcome

    async def _fail(self, message: str) -> None:
        log.warning("session failed: %s", message)  # the person sees it through error_did_occur
        await self._teardown()
        self.outcome = SessionOutcome(reason="error", summary=self.summary, error=message)
        self._set_state(SessionState.ERROR)
        self.error_did_occur.emit(message)
        self._ended.set()
        self.session_did_end.emit(self.outcome)

    async def _teardown(self) -> None:
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
            self._source.close()
            self._source = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- what the person's side looks like --------------------------------------------------------

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
        return not (
            self._user_speaking
            or self._remote_speaking
            or self._active_responses
            or self._tool_calls.waiting
            or playing
            or self._awaiting_reply()
        )

    def _awaiting_reply(self) -> bool:
        since = self._awaiting_reply_since
        return since is not None and time.monotonic() - since < REPLY_WAIT

    def _set_state(self, state: SessionState) -> None:
        if state != self.state:
            log.info("session state %s -> %s", self.state, state)
            self.state = state
            self.state_did_change.emit(state)

    def _settle_state(self) -> None:
        """After an event: the state that follows from what is going on now."""
        if not self.state.is_live or self.state in (SessionState.CONNECTING, SessionState.ENDING):
            return
        if self._user_speaking:
            self._set_state(SessionState.USER_SPEAKING)
        elif self._remote_speaking:
            self._set_state(SessionState.THERAPIST_SPEAKING)
        elif self._active_responses or self._tool_calls.waiting or self._awaiting_reply():
            self._set_state(SessionState.THINKING)
        else:
            self._set_state(SessionState.LISTENING)

    # -- connection callbacks -------------------------------------------------------------------

    def _on_remote_audio(self, track: MediaStreamTrack) -> None:
        if self._player is not None:
            self._player.play(track)

    def _on_lost(self, error: RealtimeError) -> None:
        if self.state.is_live and self.state != SessionState.ENDING:
            asyncio.get_running_loop().create_task(self._fail(f"{error} Your conversation so far is kept."))

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
            self._apply(event)
        except Exception:  # one bad event must not end the session
            log.exception("handling %s failed", type(event).__name__)
        self._settle_state()

    # -- server events --------------------------------------------------------------------------

    def _apply(self, event: ev.ServerEvent) -> None:  # noqa: C901 - a flat dispatch table reads best
        t = self.transcript
        match event:
            case ev.SessionUpdated():
                self._session_updated.set()
            case ev.SpeechStarted():
                self._user_speaking = True
                if self._player is not None:
                    self._player.flush()  # barge-in: stop what is still queued locally
            case ev.SpeechStopped():
                self._user_speaking = False
                self._awaiting_reply_since = time.monotonic()
            case ev.InputCommitted(item_id=item_id):
                t.note_item(item_id, role=USER, previous_item_id=event.previous_item_id, position_known=event.position_known)
            case ev.ItemAdded(item=item) | ev.ItemDone(item=item):
                t.note_item(
                    item.id,
                    role=item.role,
                    kind=item.type,
                    previous_item_id=event.previous_item_id,
                    position_known=event.position_known,
                )
                existing = t.get(item.id)
                if isinstance(event, ev.ItemDone) and item.text and existing is not None and not existing.final:
                    t.set_text(item.id, item.text)
            case ev.InputTranscriptDelta():
                t.append_text(event.item_id, event.delta, role=USER)
            case ev.InputTranscriptCompleted():
                t.set_text(event.item_id, event.transcript.strip(), role=USER)
            case ev.InputTranscriptFailed():
                t.note_item(event.item_id, role=USER)
                t.mark(event.item_id, "transcription_failed")
            case ev.ResponseCreated():
                self._active_responses.add(event.response_id)
                self._awaiting_reply_since = None
            case ev.OutputItemAdded(item=item):
                t.note_item(item.id, role=item.role, kind=item.type)
            case ev.AssistantTranscriptDelta():
                t.append_text(event.item_id, event.delta, role=ASSISTANT)
            case ev.AssistantTranscriptDone():
                t.set_text(event.item_id, event.transcript, role=ASSISTANT)
            case ev.AssistantTextDone():
                t.set_text(event.item_id, event.text, role=ASSISTANT)
            case ev.ItemTruncated():
                t.mark(event.item_id, "interrupted")
            case ev.FunctionCallArgumentsDone():
                self._tool_calls.add(event.response_id, event.call_id, event.name, event.arguments)
            case ev.ResponseDone():
                self._on_response_done(event)
            case ev.OutputAudioStarted():
                self._set_remote_speaking(True)
            case ev.OutputAudioStopped():
                self._set_remote_speaking(False)
                self._maybe_finish()
            case ev.OutputAudioCleared():
                if self._player is not None:
                    self._player.flush()
                self._set_remote_speaking(False)
                self._maybe_finish()
            case ev.ServerError():
                log.warning("server error event: %s (%s)", event.message, event.code)
                self.error_did_occur.emit(f"The realtime service reported: {event.message}")
            case ev.InputTimeoutTriggered():
                log.info("the service noticed a long silence")
            case ev.UnknownEvent():
                log.info("ignored unknown server event %s", event.type)
            case _:
                log.debug("unhandled server event %s", type(event).__name__)

    def _set_remote_speaking(self, speaking: bool) -> None:
        self._remote_speaking = speaking
        if self._gate is not None:
            self._gate.remote_speaking = speaking

    def _on_response_done(self, event: ev.ResponseDone) -> None:
        self._active_responses.discard(event.response_id)
        if event.status in ("cancelled", "incomplete"):
            for output in event.response.get("output") or []:
                if isinstance(output, dict) and output.get("id") and output.get("type") == "message":
                    self.transcript.mark(output["id"], "interrupted")
        elif event.status == "failed":
            details = event.response.get("status_details") or {}
            error = (details.get("error") or {}) if isinstance(details, dict) else {}
            message = error.get("message") if isinstance(error, dict) else None
            self.error_did_occur.emit(f"The therapist could not answer: {message or 'the response failed'}.")
        if event.status != "completed":
            self._tool_calls.discard(event.response_id)
        results = self._tool_calls.take(event.response_id)
        for result in results:
            log.info("tool %s -> %s", result.name, "error" if result.error else "ok")
            if isinstance(result.effect, SessionSummary):
                self.summary = result.effect
            if result.ends_session:
                self._end_after_reply = True
            self.tool_did_run.emit(result)
            self._send(client_events.function_call_output(result.call_id, result.output_json))
        if results:
            self._send(client_events.response_create())
            self._awaiting_reply_since = time.monotonic()
        self._maybe_finish()

    def _send(self, event: dict) -> None:
        if self._connection is not None:
            self._connection.send(event)

    # -- ending after the summary ---------------------------------------------------------------

    def _maybe_finish(self) -> None:
        """After end_session_summary: once the goodbye has been generated and sent, let it finish
        playing, then end."""
        if not self._end_after_reply or self._finish_task is not None:
            return
        if self._active_responses or self._remote_speaking or self._tool_calls.waiting or self._awaiting_reply():
            return
        self._finish_task = asyncio.get_running_loop().create_task(self._finish_after_playback())

    async def _finish_after_playback(self) -> None:
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while self._player is not None and self._player.is_playing and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        with contextlib.suppress(asyncio.CancelledError):
            await self.end(reason="summary")
