"""Where the therapist's voice goes: a sound device (`devices.DeviceSpeaker`) or a WAV file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

from therapy_desktop.audio.errors import AudioFileError
from therapy_desktop.audio.jitter_buffer import JitterBuffer
from therapy_desktop.audio.pacing import FramePacer
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE

log = logging.getLogger(__name__)


class AudioSink(Protocol):
    rate: int

    async def start(self, buffer: JitterBuffer) -> None:
        """Begin playing whatever `buffer` holds, in real time."""
        ...

    async def close(self) -> None: ...


class WavFileSpeaker:
    """Plays into a WAV file in real time: every 20 ms it takes one frame from the buffer, as a
    device would, so the file holds exactly what a person would have heard, silences included."""

    rate = SAMPLE_RATE

    def __init__(self, path: Path) -> None:
        self.path = path
        self.buffer: JitterBuffer | None = None
        self._frames: list[np.ndarray] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self, buffer: JitterBuffer) -> None:
        self.buffer = buffer
        self._task = asyncio.get_running_loop().create_task(self._play())

    async def _play(self) -> None:
        pacer = FramePacer()
        while True:
            await pacer.next_frame()
            assert self.buffer is not None
            self._frames.append(self.buffer.pull(FRAME_SAMPLES))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            pcm = np.concatenate(self._frames) if self._frames else np.zeros(0, dtype=np.int16)
            await asyncio.to_thread(write_wav, self.path, pcm, self.rate)


def write_wav(path: Path, pcm: np.ndarray, rate: int) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as file, wave.open(file, "wb") as out:  # a file first: wave leaks on a bad path
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm.astype("<i2").tobytes())
    except OSError as exc:
        raise AudioFileError(f"Could not write the audio file {path}: {exc.strerror or exc}") from None
