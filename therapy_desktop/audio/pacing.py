"""Pacing for outgoing tracks: aiortc pulls `recv()` as fast as it returns."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

from therapy_desktop.audio.pcm import FRAME_MS

# Asked whether a frame can be read now; if not, it arranges to call the given function on the
# loop when one may be (a device microphone's `when_ready`).
ReadyCheck = Callable[[Callable[[], None]], bool]


class FramePacer:
    """`await next_frame()` returns when frame n is due, n counting up from 0. The clock starts at
    the first call (not at construction); after a stall it catches up with at most `max_burst`
    early frames, then re-anchors, so timestamps never jump and the far end is never flooded.

    `await next_frame_from(ready)` follows a live device's clock instead: a frame goes as soon as
    the device has one (on the wall clock's tick it waited ~10 ms longer on average). A device
    that falls silent is covered by the wall clock after `slack_frames`, then frame by frame."""

    def __init__(self, frame_ms: int = FRAME_MS, max_burst: int = 5, slack_frames: int = 2) -> None:
        self._period = frame_ms / 1000
        self._max_lag = max_burst * self._period
        self._slack = slack_frames * self._period
        self._started: float | None = None
        self._covering = False  # the device missed its frame: the wall clock paces until it is back
        self.frames = 0
        self.covered = 0  # frames the device did not have in time (sent short, padded with silence)

    async def next_frame(self) -> int:
        loop = asyncio.get_running_loop()
        if self._started is None:
            self._started = loop.time()
        delay = self._started + self.frames * self._period - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif -delay > self._max_lag:
            self._started = loop.time() - self.frames * self._period
        return self._next_index()

    async def next_frame_from(self, ready: ReadyCheck) -> int:
        loop = asyncio.get_running_loop()
        if self._started is None:
            self._started = loop.time() - self._period  # frame 0 is due now
        deadline = self._started + self.frames * self._period + (0.0 if self._covering else self._slack)
        while True:
            woken: asyncio.Future[None] = loop.create_future()
            if ready(functools.partial(_settle, woken)):
                # The device's clock leads: the wall schedule follows it, so drift never adds up.
                self._covering = False
                self._started = loop.time() - self.frames * self._period
                break
            if loop.time() >= deadline:
                self._covering = True
                self.covered += 1
                break
            timer = loop.call_at(deadline, _settle, woken)
            try:
                await woken
            finally:
                timer.cancel()
        return self._next_index()

    def _next_index(self) -> int:
        index = self.frames
        self.frames += 1
        return index


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
