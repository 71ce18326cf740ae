"""One watchdog for a live call: every sign that it died, or that it should be renewed before
the service's time cap, is checked on one tick — not scattered over timers.

- no event and no audio from the service for `silence_limit` seconds (a live call streams
  audio frames steadily, so a long silence on both means the path is gone);
- the wall clock jumped ahead of the monotonic clock: the machine slept (the monotonic clock
  stops during suspend on Linux and macOS), and a call does not survive a sleep;
- the call has run for `renew_after` seconds and the conversation is at a pause: renew it now
  rather than be cut mid-sentence by the service's cap.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from therapy_desktop.session.ticker import Ticker

log = logging.getLogger(__name__)

SLEEP_GAP = 10.0  # the wall clock ahead of the monotonic one by this much = the machine slept


class CallWatchdog:
    def __init__(
        self,
        *,
        on_drop: Callable[[str], None],
        on_renew_due: Callable[[], None],
        silence_limit: float = 30.0,
        renew_after: float | None = None,
        tick: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._on_drop = on_drop
        self._on_renew_due = on_renew_due
        self.silence_limit = silence_limit
        self.renew_after = renew_after
        self._monotonic = monotonic
        self._wall = wall
        self._ticker = Ticker(tick, self._check)

    def watch(self, opened_at: float, last_activity: Callable[[], float], is_quiet: Callable[[], bool]) -> None:
        """Watch a call that opened at `opened_at` (monotonic); replaces any earlier watch."""
        self.stop()
        self._opened_at, self._last_activity, self._is_quiet = opened_at, last_activity, is_quiet
        self._clocks = (self._monotonic(), self._wall())
        self._ticker.start()

    def stop(self) -> None:
        self._ticker.stop()

    def _check(self) -> bool:
        now, wall = self._monotonic(), self._wall()
        slept = (wall - self._clocks[1]) - (now - self._clocks[0])
        self._clocks = (now, wall)
        if slept > SLEEP_GAP:
            log.info("the machine slept for about %.0f s", slept)
            self._on_drop("woke from sleep")
            return False
        silent = now - max(self._last_activity(), self._opened_at)
        if silent > self.silence_limit:
            log.info("nothing from the service for %.0f s", silent)
            self._on_drop("silent")
            return False
        if self.renew_after is not None and now - self._opened_at >= self.renew_after and self._is_quiet():
            self._on_renew_due()
            return False
        return True
