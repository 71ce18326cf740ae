"""Standing backlog: the delay a real-time buffer keeps after a burst.

A buffer filled and drained at the same real-time rate keeps whatever level a burst left it
at (the network delivered three frames at once, the device asked for audio late): the extra
delay never goes away by itself. Watching the lowest level over a second tells how much stayed
queued the whole time; that much can be dropped without the buffer running dry.
"""

from __future__ import annotations


class StandingBacklog:
    def __init__(self, keep: int, window: int = 50) -> None:
        self._keep = keep  # samples the buffer should hold at its lowest (its safety margin)
        self._window = window  # reads per observation window (50 × 20 ms = 1 s)
        self._low: int | None = None
        self._reads = 0
        self.excess = 0  # samples that may be dropped at the next quiet moment

    def observe(self, level: int) -> None:
        """Call once per read, with the level before reading."""
        self._low = level if self._low is None else min(self._low, level)
        self._reads += 1
        if self._reads >= self._window:
            self.excess = max(0, self._low - self._keep)
            self._low, self._reads = None, 0

    def take(self) -> int:
        """The excess to drop now; the caller drops it (only in a quiet moment: a cut word is worse)."""
        excess, self.excess = self.excess, 0
        return excess
