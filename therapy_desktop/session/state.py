"""The states of one therapy session, as the person sees them, and how a session ended."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from therapy_desktop.therapy import SessionSummary


class SessionState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LISTENING = "listening"
    USER_SPEAKING = "user_speaking"
    THINKING = "thinking"
    THERAPIST_SPEAKING = "therapist_speaking"
    RECONNECTING = "reconnecting"  # the call dropped (or is being renewed); the conversation waits
    DISCONNECTED = "disconnected"  # reconnecting gave up; "Try again" resumes, End ends
    ENDING = "ending"
    ENDED = "ended"
    ERROR = "error"

    @property
    def is_live(self) -> bool:
        """The session has not ended: End applies, the transcript may still grow."""
        return self in _LIVE

    @property
    def is_in_call(self) -> bool:
        """A call is up and the conversation can go on."""
        return self in _IN_CALL


_IN_CALL = {
    SessionState.LISTENING,
    SessionState.USER_SPEAKING,
    SessionState.THINKING,
    SessionState.THERAPIST_SPEAKING,
}
_LIVE = _IN_CALL | {SessionState.CONNECTING, SessionState.RECONNECTING, SessionState.DISCONNECTED, SessionState.ENDING}


class EndReason(StrEnum):
    USER = "user"  # End, closing the window, Ctrl-C
    SUMMARY = "summary"  # the AI companion closed the session with its summary
    LIMIT = "limit"  # the maximum session length passed and the goodbye did not come in time
    ERROR = "error"  # it could not start, or could not be resumed


@dataclass
class SessionOutcome:
    """How a session ended, for whoever shows or stores it."""

    reason: EndReason
    summary: SessionSummary | None = None
    error: str | None = None
