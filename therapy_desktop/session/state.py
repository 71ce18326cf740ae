"""The states of one therapy session, as the person sees them."""

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
    ENDING = "ending"
    ENDED = "ended"
    ERROR = "error"

    @property
    def is_live(self) -> bool:
        return self in _LIVE


_LIVE = {
    SessionState.CONNECTING,
    SessionState.LISTENING,
    SessionState.USER_SPEAKING,
    SessionState.THINKING,
    SessionState.THERAPIST_SPEAKING,
    SessionState.ENDING,
}


@dataclass
class SessionOutcome:
    """How a session ended, for whoever shows or stores it."""

    reason: str  # user | summary | error
    summary: SessionSummary | None = None
    error: str | None = None
