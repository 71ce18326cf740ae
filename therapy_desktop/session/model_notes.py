"""What the AI companion is told that the person did not say: an exercise on screen finished or
was stopped, the session's time is nearly or fully up. Each is a system message in the
conversation; one that asks for an answer gets it after any response under way."""

from __future__ import annotations

from collections.abc import Callable

from therapy_desktop.realtime import client_events
from therapy_desktop.session.events import LimitApproaching, SessionEvents
from therapy_desktop.session.limits import SessionLimits, SessionTimer
from therapy_desktop.therapy import session_notes as notes


class ModelNotes:
    def __init__(
        self,
        send: Callable[[dict], None],
        *,
        in_call: Callable[[], bool],
        ask_for_reply: Callable[[], None],
        is_quiet: Callable[[], bool],
        events: SessionEvents,
        limits: SessionLimits,
        clock: Callable[[], float],
        on_overrun: Callable[[], None],
    ) -> None:
        self._send, self._in_call, self._ask_for_reply, self._events = send, in_call, ask_for_reply, events
        self.timer = SessionTimer(
            limits, is_quiet=is_quiet, clock=clock, on_nearly_up=self._time_nearly_up,
            on_time_up=lambda: self.tell(notes.TIME_UP, respond=True), on_overrun=on_overrun,
        )

    def tell(self, text: str, *, respond: bool = False) -> None:
        """A system message; with `respond`, a reply is asked for (after the one under way, if any)."""
        if self._in_call():
            self._send(client_events.system_message(text))
            if respond:
                self._ask_for_reply()

    def exercise_ended(self, name: str, cycles_done: int, cycles: int, *, stopped: bool) -> None:
        """A finished exercise is noted quietly; a stopped one is answered (the person chose to stop)."""
        note = notes.EXERCISE_STOPPED if stopped else notes.EXERCISE_COMPLETED
        self.tell(note.format(name=name, cycles=cycles_done, total=cycles), respond=stopped)

    def _time_nearly_up(self, minutes_left: float) -> None:
        self._events.limit_did_approach.emit(LimitApproaching(minutes_left))
        self.tell(notes.TIME_NEARLY_UP.format(minutes=round(minutes_left)), respond=True)
