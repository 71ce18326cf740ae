"""Wall-clock pacing for outgoing tracks: aiortc pulls `recv()` as fast as it returns."""

from __future__ import annotations

import asyncio

from therapy_desktop.audio.pcm import FRAME_MS


class FramePacer:
    """`await next_frame()` returns when frame n is due, n counting up from 0. The clock starts at
    the first call (not at construction); after a stall it catches up with at most `max_burst`
    early frames, then re-anchors, so timestamps never jump and the far end is never flooded."""

    def __init__(self, frame_ms: int = FRAME_MS, max_burst: int = 5) -> None:
        self._period = frame_ms / 1000
        self._max_lag = max_burst * self._period
        self._started: float | None = None
        self.frames = 0

    async def next_frame(self) -> int:
        loop = asyncio.get_running_loop()
        if self._started is None:
            self._started = loop.time()
        delay = self._started + self.frames * self._period - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif -delay > self._max_lag:
            self._started = loop.time() - self.frames * self._period
        index = self.frames
        self.frames += 1
        return index
