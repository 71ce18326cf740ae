"""The therapist's voice as an outgoing aiortc track: queued speech, paced 20 ms frames,
silence in between, and a way to wait until a given sample has actually been sent."""

from __future__ import annotations

import asyncio

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.pacing import FramePacer
from therapy_desktop.audio.pcm import FRAME_SAMPLES, frame_from_pcm
from therapy_desktop.audio.sample_queue import SampleQueue


class VoiceTrack(MediaStreamTrack):
    """Positions count speech samples only: `enqueue` returns where a chunk starts and
    `wait_sent(position)` returns once the frames up to there went out on the wire."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue = SampleQueue()
        self.enqueued = 0
        self.sent = 0
        self._waiters: list[tuple[int, asyncio.Future[bool]]] = []
        self._pacer = FramePacer(max_burst=5)

    def enqueue(self, pcm: np.ndarray) -> int:
        start = self.enqueued
        self._queue.push(pcm)
        self.enqueued += len(pcm)
        return start

    @property
    def pending_samples(self) -> int:
        return self.enqueued - self.sent

    async def wait_sent(self, position: int) -> bool:
        """True once `position` has been sent; False if the queue was cleared before."""
        if self.sent >= position:
            return True
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiters.append((position, future))
        return await future

    def clear(self) -> None:
        """Drop queued speech (barge-in); waiters learn it was not sent."""
        self._queue.clear()
        self.enqueued = self.sent
        for _, future in self._waiters:
            if not future.done():
                future.set_result(False)
        self._waiters.clear()

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next_frame()
        out = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        self.sent += self._queue.take_into(out)
        if self._waiters:
            still = []
            for position, future in self._waiters:
                if self.sent >= position:
                    if not future.done():
                        future.set_result(True)
                else:
                    still.append((position, future))
            self._waiters = still
        return frame_from_pcm(out, pts=index * FRAME_SAMPLES)
