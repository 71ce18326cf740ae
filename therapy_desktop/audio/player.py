"""The therapist's track → one stateful resampler → the jitter buffer → the sink."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.jitter_buffer import JitterBuffer
from therapy_desktop.audio.pcm import MonoResampler
from therapy_desktop.audio.sinks import AudioSink

log = logging.getLogger(__name__)


class RemoteAudioPlayer:
    def __init__(self, sink: AudioSink, *, prebuffer_ms: int = 30, max_ms: int = 250) -> None:
        self.sink = sink
        self.buffer = JitterBuffer(sink.rate, prebuffer_ms=prebuffer_ms, max_ms=max_ms)
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self.last_frame_at = 0.0  # time.monotonic() of the last received frame: a live call sends steadily

    async def start(self) -> None:
        """Open the output before the call: the device is warm when the first word arrives."""
        await self.sink.start(self.buffer)
        self._started = True

    def play(self, track: MediaStreamTrack) -> None:
        """Start consuming `track` (replacing any earlier one). It must always be read: aiortc
        queues received frames without bound."""
        if self._task is not None:
            self._task.cancel()
        self._task = asyncio.get_running_loop().create_task(self._consume(track))

    async def _consume(self, track: MediaStreamTrack) -> None:
        # aiortc's Opus decoder always yields 48 kHz *stereo*: always resample, even at equal rates.
        resampler = MonoResampler(self.sink.rate)
        try:
            while True:
                frame = await track.recv()
                self.last_frame_at = time.monotonic()
                self.buffer.push(resampler.convert(frame))
        except MediaStreamError:
            log.info("the therapist's audio track ended")

    def flush(self) -> None:
        """Drop what is queued but not yet played (barge-in, or a cleared output buffer)."""
        self.buffer.clear()

    @property
    def is_playing(self) -> bool:
        return self.buffer.sound_pending or self.buffer.audible_within(0.1)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._started:
            await self.sink.close()
