"""The voice track's clock: 20 ms frames due against the wall clock, as `audio.pacing.FramePacer`
paces them, plus a way to sleep through frames that will not be sent (a long silence) and come
back at the frame due when something wakes it.

The frame index is the RTP timestamp's source (index × 960 samples), so frames skipped in a
silence leave a gap in the timestamps the far end sees, as Opus DTX does (RFC 7587 §3.1.3):
sequence numbers stay contiguous, timestamps say how much time passed.
"""

from __future__ import annotations

import asyncio
import contextlib

from therapy_desktop.audio.pacing import FramePacer


class FrameClock(FramePacer):
    """`FramePacer`, plus `await skip_until(n, wake)`: sleep until frame n is due or `wake` is set."""

    async def skip_until(self, frame: int, wake: asyncio.Event) -> None:
        """Sleep until `frame` is due or `wake` is set; the frames in between are skipped, so the
        next `next_frame()` returns at once with the frame due now (never one already returned)."""
        loop = asyncio.get_running_loop()
        if self._started is None:
            self._started = loop.time()
        delay = self._started + frame * self._period - loop.time()
        if delay > 0 and not wake.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(wake.wait(), delay)
        due = int((loop.time() - self._started) / self._period)
        self.frames = max(self.frames, due)
