"""When the app must say again "I am an AI, not a human": the rules as pure logic with a clock.

- at the start of every session;
- at least every 3 hours of continuous use (any disclosure restarts the 3 hours);
- at the start of a session after 7 days or more away (or on the very first use);
- whenever the person asks whether they are talking to a human, a real person or therapist, a bot.

The session shows `safety.DISCLOSURE_LINE` (and the model says it, per its instructions) whenever
one of these returns a reason, then calls `disclosed()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from therapy_desktop.therapy.crisis_text import normalize
from therapy_desktop.therapy.clock import require_aware as _aware
from therapy_desktop.therapy.clock import utc_now

REDISCLOSE_AFTER = timedelta(hours=3)
AWAY_FOR = timedelta(days=7)


class DisclosureReason(StrEnum):
    SESSION_START = "session_start"
    RETURNING = "returning_after_7_days"  # also the first use ever
    CONTINUOUS_USE = "three_hours_of_use"
    ASKED = "asked_if_human"


_NOUN = (
    r"(?:(?:a |an )?(?:real |actual |live |living |proper |genuine )?(?:human(?: being)?|person|therapist|"
    r"counsell?or|psychologist|doctor)|(?:a |an )?(?:bot|robot|chatbot|chat bot|ai|a i|machine|computer|"
    r"program|recording)|someone real|somebody real|anyone real|a real one)"
)
_ASKS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:are|r) (?:you|u|ya) (?:really |actually |even |just |only )?(?:{_NOUN}|real|human|alive|a real)\b(?! (?:sure|serious|kidding|joking)\b)",
        rf"\bam i (?:really |actually |just |even )?(?:talking|speaking|chatting|texting) (?:to|with) (?:{_NOUN}|someone|somebody|anyone|a person|a human)\b",
        rf"\bis (?:this|it|that) (?:really |actually |just |even )?{_NOUN}\b(?! (?:story|question|problem|issue|appointment|note)\b)",
        r"\bis (?:there|this) (?:a |an )?(?:real )?(?:person|human|someone|somebody|anyone) (?:there|on the other end|behind (?:this|it|the screen)|listening|at the other end)\b",
        r"\b(?:is a|is there a|does a) (?:real )?(?:human|person|therapist) (?:listening|reading|hearing|on the other end|behind)\b",
        r"\bwho (?:am i|are you|is this)(?: (?:really )?(?:talking|speaking|chatting) (?:to|with))?\s*$",
        r"\bwho am i (?:really |actually )?(?:talking|speaking|chatting) (?:to|with)\b",
        rf"\b(?:if|whether) i am (?:really |actually )?(?:talking|speaking|chatting) (?:to|with) (?:{_NOUN}|someone|somebody|a person|a human)\b",
        rf"\b(?:if|whether) (?:you are|this is) (?:really |actually )?(?:{_NOUN}|real|human)\b",
        r"\bwhat are you(?: exactly| really)?\s*$",
        r"\byou are (?:just |only |not |not even )?(?:a |an )?(?:bot|robot|chatbot|ai|machine|computer|real|human|real person|real therapist|a person)\b",
    )
)


_FILLERS = re.compile(r"\b(?:um+|uh+|erm|er|like|you know|kind of|sort of|i mean)\b ?")


def asks_if_human(text: str) -> bool:
    """Does this utterance ask whether the person is talking to a human / a real therapist / a bot?"""
    if not isinstance(text, str) or not text.strip():
        return False
    normalized = " ".join(_FILLERS.sub(" ", normalize(text[:2000])).split())
    return any(p.search(clause) for clause in normalized.split(" , ") for p in _ASKS)


class DisclosurePolicy:
    """One policy per session. `last_use` is when the app was last used before this session."""

    def __init__(self, last_use: datetime | None, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._last_use = None if last_use is None else _aware(last_use, "last_use")
        self._last_disclosed: datetime | None = None

    def _now(self) -> datetime:
        return _aware(self._clock(), "the clock's time")

    def at_session_start(self) -> tuple[DisclosureReason, ...]:
        """The reasons to disclose as the session opens: always the start, and a long absence."""
        reasons = [DisclosureReason.SESSION_START]
        if self._last_use is None or self._now() - self._last_use >= AWAY_FOR:
            reasons.append(DisclosureReason.RETURNING)
        return tuple(reasons)

    def on_user_text(self, text: str) -> DisclosureReason | None:
        """ASKED when this finished utterance asks whether it is a human."""
        return DisclosureReason.ASKED if asks_if_human(text) else None

    def due(self) -> DisclosureReason | None:
        """CONTINUOUS_USE once 3 hours passed since the last disclosure (poll it, e.g. each minute)."""
        if self._last_disclosed is None:
            return None  # nothing disclosed yet: at_session_start covers it
        if self._now() - self._last_disclosed >= REDISCLOSE_AFTER:
            return DisclosureReason.CONTINUOUS_USE
        return None

    def disclosed(self) -> None:
        """The line was shown / spoken now; the 3 hours start again."""
        self._last_disclosed = self._now()

    @property
    def last_disclosed(self) -> datetime | None:
        return self._last_disclosed
