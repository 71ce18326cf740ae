"""How long a session may run, and how many a day: checked against a clock the caller gives
(tests move it; the app passes the real one)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from therapy_desktop.session.texts import DAILY_LIMIT_REACHED
from therapy_desktop.session.ticker import Ticker


class SessionRefused(Exception):
    """Start is refused (the daily limit): `str()` is the sentence to show."""


@dataclass(frozen=True)
class SessionLimits:
    max_minutes: float = 30.0
    warn_minutes_before: float = 5.0
    daily_sessions: int = 50
    wrap_up_grace_seconds: float = 90.0  # after the limit, the close the model was asked for may take this long


class SessionTimer:
    """Ticks while a session is live: tells the owner once when the end is near, once when the
    time is up (each at the first quiet moment, so nobody is cut off mid-sentence), and when the
    grace for the goodbye has run out."""

    def __init__(
        self,
        limits: SessionLimits,
        *,
        is_quiet: Callable[[], bool],
        on_nearly_up: Callable[[float], None],
        on_time_up: Callable[[], None],
        on_overrun: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
        tick: float = 1.0,
    ) -> None:
        self.limits = limits
        self._is_quiet = is_quiet
        self._on_nearly_up, self._on_time_up, self._on_overrun = on_nearly_up, on_time_up, on_overrun
        self._clock = clock
        self._ticker = Ticker(tick, self._check)
        self.started_at: float | None = None
        self._warned = self._asked_to_close = False

    def start(self) -> None:
        self.started_at = self._clock()
        self._ticker.start()

    @property
    def elapsed(self) -> float:
        return 0.0 if self.started_at is None else self._clock() - self.started_at

    def stop(self) -> None:
        self._ticker.stop()

    def _check(self) -> bool:
        limit = self.limits.max_minutes * 60
        elapsed = self.elapsed
        if elapsed >= limit + self.limits.wrap_up_grace_seconds:
            self._on_overrun()
            return False
        if not self._asked_to_close and elapsed >= limit and self._is_quiet():
            self._asked_to_close = True
            self._on_time_up()
        elif not self._warned and elapsed >= limit - self.limits.warn_minutes_before * 60 and self._is_quiet():
            self._warned = True
            self._on_nearly_up(max((limit - elapsed) / 60, 0.0))
        return True


def daily_limit_problem(started_today: int, limits: SessionLimits, now: datetime) -> str | None:
    """The sentence that refuses Start when today's sessions are used up, saying when it resets
    (local midnight); None while sessions remain."""
    if started_today < limits.daily_sessions:
        return None
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return DAILY_LIMIT_REACHED.format(limit=limits.daily_sessions, reset=midnight)


def start_of_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)
