"""Where the therapist's voice goes: a sound device (`devices.DeviceSpeaker`) or a WAV file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

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
    device would, so the file holds exactly what a person would have heard, silences included.

    Written as it plays (a second at a time, on a writer thread of its own, in order), so a long
    session does not sit in memory; a write that fails (a full disk, /dev/full) stops the
    recording and `close()` raises it, so a run can never end looking fine with a broken file.
    """

    rate = SAMPLE_RATE
    BATCH_FRAMES = 50  # one second

    def __init__(self, path: Path) -> None:
        self.path = path
        self.buffer: JitterBuffer | None = None
        self._batch: list[np.ndarray] = []
        self._task: asyncio.Task[None] | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wav-speaker")
        self._wav: wave.Wave_write | None = None
        self._file: Any = None
        self._writes: list[asyncio.Future[None]] = []
        self._error: AudioFileError | None = None

    async def start(self, buffer: JitterBuffer) -> None:
        self.buffer = buffer
        await asyncio.get_running_loop().run_in_executor(self._writer, self._open)
        if self._error is not None:
            raise self._error
        self._task = asyncio.get_running_loop().create_task(self._play())

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "wb")  # a file first: wave leaks its handle on a bad path
            self._wav = wave.open(self._file, "wb")
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(self.rate)
        except OSError as exc:
            self._fail(exc)

    async def _play(self) -> None:
        pacer = FramePacer()
        loop = asyncio.get_running_loop()
        while True:
            await pacer.next_frame()
            assert self.buffer is not None
            self._batch.append(self.buffer.pull(FRAME_SAMPLES))
            if len(self._batch) >= self.BATCH_FRAMES:
                batch, self._batch = self._batch, []
                self._writes = [w for w in self._writes if not w.done()]
                self._writes.append(loop.run_in_executor(self._writer, self._write, batch))

    def _write(self, frames: list[np.ndarray]) -> None:
        if self._error is not None or self._wav is None:
            return
        try:
            self._wav.writeframes(np.concatenate(frames).astype("<i2").tobytes())
            self._file.flush()
        except OSError as exc:
            self._fail(exc)

    def _finish(self) -> None:
        try:
            if self._wav is not None:
                self._wav.close()  # writes the final length into the header
        except OSError as exc:
            self._fail(exc)
        finally:
            if self._file is not None:
                with contextlib.suppress(OSError):
                    self._file.close()

    def _fail(self, exc: OSError) -> None:
        if self._error is None:
            log.warning("writing %s failed: %s", self.path, exc)
            self._error = AudioFileError(f"Could not write the audio file {self.path}: {exc.strerror or exc}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            loop = asyncio.get_running_loop()
            if self._batch:
                await loop.run_in_executor(self._writer, self._write, self._batch)
                self._batch = []
            await asyncio.gather(*self._writes)
            await loop.run_in_executor(self._writer, self._finish)
        self._writer.shutdown(wait=False)
        if self._error is not None:
            raise self._error


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
