"""Adapts one `TherapySession` at a time to Qt signals. The session's hooks fire on the loop
thread, which qasync makes the Qt thread, so signals are emitted directly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.limits import SessionRefused
from therapy_desktop.session.state import SessionOutcome, SessionState
from therapy_desktop.therapy import TherapyType
from therapy_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the session (aiortc, PyAV) loads after the window is up
    from therapy_desktop.session.recorder import SessionRecorder
    from therapy_desktop.session.therapy_session import TherapySession

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class SessionRequest:
    """What the person chose before pressing Start."""

    therapy: TherapyType
    mode: ConnectMode
    mood_before: int | None = None


@dataclass
class StartedSession:
    session: TherapySession
    recorder: SessionRecorder | None = None  # None when the history is not available
    # Run once after the session, when the person has given (or skipped) their mood after it:
    # the clinic backend records the end with it. None when nothing needs telling.
    finish: Callable[[int | None], Awaitable[None]] | None = None
    check_in: bool = False  # the last session, within 24 hours, was flagged: open with the check-in card


# Async: it may read the history (the daily limit) and open it off the loop.
SessionFactory = Callable[[SessionRequest], Awaitable[StartedSession]]


class SessionController(QObject):
    state_changed = Signal(object)  # SessionState
    transcript_item_changed = Signal(object)  # TranscriptItem
    transcript_reset = Signal()
    error_raised = Signal(str)
    notice_raised = Signal(str)  # something the app handled that the person should know (a device, the mode)
    audio_mode_changed = Signal(object)  # AudioMode: the session switched it itself
    mic_level_changed = Signal(float)
    mic_paused_changed = Signal(bool)
    tool_ran = Signal(object)  # ToolResult
    session_ended = Signal(object)  # SessionOutcome
    call_renewed = Signal(object)  # CallRenewal
    limit_approaching = Signal(object)  # LimitApproaching: the session's time is nearly up
    crisis_raised = Signal(object)  # FlagChange: the first crisis flag of the session (raise the panel)
    disclosure_shown = Signal(object)  # DisclosureReason: show the "I am an AI" line again
    check_in_due = Signal()  # the session opens with a gentle check-in card and the resources
    consent_needed = Signal()  # Start was pressed before the terms were accepted: show them

    def __init__(self, make_session: SessionFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._make_session = make_session
        self.session: TherapySession | None = None
        self.recorder: SessionRecorder | None = None
        self._finish: Callable[[int | None], Awaitable[None]] | None = None
        # Set by the window: True while the terms are not accepted; no session starts then.
        self.requires_consent: Callable[[], bool] = lambda: False
        self._waiting_for_consent: SessionRequest | None = None
        self._tasks = TaskRunner(self.error_raised.emit)
        self._start_task: asyncio.Task[None] | None = None

    @property
    def state(self) -> SessionState:
        return self.session.state if self.session else SessionState.IDLE

    def start(self, therapy: TherapyType, mode: ConnectMode, mood_before: int | None = None) -> None:
        if self._start_task is not None and not self._start_task.done():
            return
        if self.session is not None and self.session.state.is_live:
            return
        request = SessionRequest(therapy, mode, mood_before)
        if self.requires_consent():
            self._waiting_for_consent = request
            self.consent_needed.emit()
            return
        self._start_task = self._tasks.run(self._start(request), what="start the session")

    def consent_given(self) -> None:
        """The terms were accepted: the Start that waited for them goes ahead."""
        request, self._waiting_for_consent = self._waiting_for_consent, None
        if request is not None:
            self.start(request.therapy, request.mode, request.mood_before)

    async def _start(self, request: SessionRequest) -> None:
        try:
            started = await self._make_session(request)
        except SessionRefused as exc:
            self.error_raised.emit(str(exc))
            return
        self._finish_previous(None)
        self._detach()
        self.session, self.recorder, self._finish = started.session, started.recorder, started.finish
        for hook, handler in self._bindings(started.session):
            hook.connect(handler)
        self.transcript_reset.emit()
        if started.check_in:
            self.check_in_due.emit()
        await started.session.start()

    def set_mood_after(self, mood: int | None) -> None:
        """The person's mood after the session (None: skipped). Completes the session's records."""
        if self.recorder is not None and mood is not None:
            self.recorder.set_mood_after(mood)
        self._finish_previous(mood)

    def _finish_previous(self, mood: int | None) -> None:
        finish, self._finish = self._finish, None
        if finish is not None:
            self._tasks.run(finish(mood), what="record the end of the session")

    def end(self) -> None:
        if self._start_task is not None and not self._start_task.done():
            self._start_task.cancel()  # hang up while dialling: start() tears down and ends
            return
        if self.session is not None:
            self._tasks.run(self.session.end(), what="end the session")

    def retry(self) -> None:
        """"Try again" after the connection could not be restored."""
        if self.session is not None:
            self.session.retry()

    def send_text(self, text: str) -> None:
        if self.session is not None:
            self.session.send_text(text)

    async def shutdown(self) -> None:
        """Before the app quits: hang up and release the devices."""
        if self.session is not None:
            if self._start_task is not None and not self._start_task.done():
                self._start_task.cancel()
            try:
                await asyncio.wait_for(self.session.end(), 10.0)
            except asyncio.TimeoutError:
                log.warning("the session did not hang up within 10 s; quitting anyway")
        self._finish_previous(None)
        await self._tasks.wait_all(timeout=12.0)  # the clinic's end is retried for about ten seconds
        await self._tasks.cancel_all()

    def _on_ended(self, outcome: SessionOutcome) -> None:
        self.mic_level_changed.emit(0.0)
        self.mic_paused_changed.emit(False)
        self.session_ended.emit(outcome)

    def _bindings(self, s: TherapySession) -> list[tuple[Hook[Any], Callable[[Any], None]]]:
        """Each session hook → the controller's signal of the same meaning (the hooks fire on the
        Qt thread under qasync, so signals are emitted directly)."""
        e = s.events
        return [
            (e.state_did_change, self.state_changed.emit),
            (s.transcript.item_did_change, self.transcript_item_changed.emit),
            (e.error_did_occur, self.error_raised.emit),
            (e.mic_level_did_change, self.mic_level_changed.emit),
            (e.mic_paused_did_change, self.mic_paused_changed.emit),
            (e.tool_did_run, self.tool_ran.emit),
            (e.call_did_renew, self.call_renewed.emit),
            (e.limit_did_approach, self.limit_approaching.emit),
            (s.safety.crisis_did_raise, self.crisis_raised.emit),
            (s.safety.disclosure_did_show, self.disclosure_shown.emit),
            (e.session_did_end, self._on_ended),
            # A chosen device not connected (the default is used), one that stopped, the mode switched to
            # speakers: a notice. No device left, or no echo cancellation: an error.
            (s.audio.notice_did_occur, self.notice_raised.emit),
            (s.audio.problem_did_occur, self.error_raised.emit),
            (s.audio.mode_did_change, self.audio_mode_changed.emit),
        ]

    def _detach(self) -> None:
        if self.session is not None:
            for hook, handler in self._bindings(self.session):
                hook.disconnect(handler)
