"""The exercises on screen during a session: the breathing pacer and the grounding steps,
started by the AI companion's tools, kept in step with its voice, and reported back to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from therapy_desktop.session.state import SessionState
from therapy_desktop.session.transcript import TranscriptItem
from therapy_desktop.therapy import BreathingExercise, GroundingExercise, ToolResult
from therapy_desktop.therapy import grounding as grounding_notes
from therapy_desktop.ui import texts
from therapy_desktop.ui.grounding_view import GroundingView
from therapy_desktop.ui.pacer import BreathingPacer
from therapy_desktop.ui.session_controller import SessionController

FINISHED_LINGER_MS = 4000  # a finished exercise stays a moment (its last words), then makes room


class ExerciseHost(QObject):
    def __init__(self, controller: SessionController, pacer: BreathingPacer, grounding: GroundingView,
                 add_notice: Callable[[str], None], on_change: Callable[[], None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)  # the window: it goes with the widgets it drives
        self._on_change = on_change  # a panel appeared or went: the window makes room
        self.controller, self.pacer, self.grounding = controller, pacer, grounding
        self._add_notice = add_notice
        self._items_before_grounding: set[str] = set()
        controller.tool_ran.connect(self._on_tool)
        controller.state_changed.connect(self._on_state)
        controller.transcript_item_changed.connect(self._on_item)
        controller.transcript_reset.connect(self._on_reset)
        pacer.finished.connect(self._breathing_finished)
        grounding.finished.connect(self._grounding_finished)

    def _on_tool(self, result: ToolResult) -> None:
        effect = result.effect
        if isinstance(effect, BreathingExercise):
            inhale, hold, exhale, rest = effect.phases
            self._add_notice(texts.NOTICE_BREATHING.format(pattern=effect.pattern, inhale=inhale, hold=hold,
                                                           exhale=exhale, rest=rest, cycles=effect.cycles))
            self.grounding.stop()
            self.grounding.hide()
            self.pacer.arm(effect)
            self._on_change()
        elif isinstance(effect, GroundingExercise):
            self._add_notice(texts.NOTICE_GROUNDING)
            self.pacer.stop()
            self.pacer.hide()
            session = self.controller.session
            self._items_before_grounding = {i.item_id for i in session.transcript.visible_items()} if session else set()
            self.grounding.begin(effect)
            self._on_change()

    def _on_state(self, state: SessionState) -> None:
        if state is SessionState.THERAPIST_SPEAKING:
            self.pacer.speech_started()  # the guidance the tool asked for begins: so does the circle
        elif not state.is_live:
            self.pacer.stop()
            self.grounding.stop()
            self._put_away()

    def _on_item(self, item: TranscriptItem) -> None:
        if item.role == "assistant" and item.visible and item.item_id not in self._items_before_grounding:
            self.grounding.ai_message(item.item_id)

    def _on_reset(self) -> None:
        self.pacer.stop()
        self.pacer.hide()
        self.grounding.stop()
        self.grounding.hide()
        self._on_change()

    def _put_away(self) -> None:
        """Hide the exercises that are over (the summary or the next exercise needs the room)."""
        if not (self.pacer.waiting or self.pacer.running):
            self.pacer.hide()
        if not self.grounding.active:
            self.grounding.hide()
        self._on_change()

    def _linger_then_put_away(self) -> None:
        QTimer.singleShot(FINISHED_LINGER_MS, self, self._put_away)

    def _breathing_finished(self, done: int, cycles: int, stopped: bool) -> None:
        self._linger_then_put_away()
        notice = texts.NOTICE_BREATHING_STOPPED if stopped else texts.NOTICE_BREATHING_DONE
        self._add_notice(notice.format(done=done, cycles=cycles))
        session = self.controller.session
        if session is not None:
            session.notes.exercise_ended(texts.EXERCISE_BREATHING, done, cycles, stopped=stopped)

    def _grounding_finished(self, done: int, total: int, stopped: bool) -> None:
        self._linger_then_put_away()
        self._add_notice(texts.GROUNDING_STOPPED.format(done=done, total=total) if stopped else texts.GROUNDING_DONE)
        session = self.controller.session
        if session is not None:
            note = grounding_notes.NOTE_STOPPED if stopped else grounding_notes.NOTE_COMPLETED
            session.notes.tell(note.format(done=done, total=total), respond=stopped)
