"""A coloured dot and a word for what the session is doing."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from therapy_desktop.session.state import SessionState
from therapy_desktop.ui.steady_label import SteadyLabel

_LOOK: dict[SessionState, tuple[str, str]] = {
    SessionState.IDLE: ("Ready", "#9aa5b1"),
    SessionState.CONNECTING: ("Connecting…", "#e6a23c"),
    SessionState.LISTENING: ("Listening", "#3aa76d"),
    SessionState.USER_SPEAKING: ("You are speaking", "#2f80ed"),
    SessionState.THINKING: ("Thinking…", "#8e6bd8"),
    SessionState.THERAPIST_SPEAKING: ("AI companion speaking", "#1aa3a3"),
    SessionState.RECONNECTING: ("Reconnecting…", "#e6a23c"),
    SessionState.DISCONNECTED: ("Connection lost", "#d64545"),
    SessionState.ENDING: ("Ending…", "#9aa5b1"),
    SessionState.ENDED: ("Session ended", "#9aa5b1"),
    SessionState.ERROR: ("Error", "#d64545"),
}


def _markup(state: SessionState) -> str:
    text, colour = _LOOK[state]
    return f'<span style="color:{colour}; font-size:16px;">●</span>&nbsp;{text}'


class StatusBadge(SteadyLabel):
    """As wide as its longest state: a change of state repaints the badge, not the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.state = SessionState.IDLE
        self.show_state(SessionState.IDLE)
        self.fit_texts(_markup(state) for state in SessionState)

    def show_state(self, state: SessionState) -> None:
        self.state = state
        self.setText(_markup(state))
        self.setAccessibleName(f"Status: {_LOOK[state][0]}")
