"""A coloured dot and a word for what the session is doing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from therapy_desktop.session.state import SessionState

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


class StatusBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.state = SessionState.IDLE
        self.show_state(SessionState.IDLE)

    def show_state(self, state: SessionState) -> None:
        self.state = state
        text, colour = _LOOK[state]
        self.setText(f'<span style="color:{colour}; font-size:16px;">●</span>&nbsp;{text}')
        self.setAccessibleName(f"Status: {text}")
