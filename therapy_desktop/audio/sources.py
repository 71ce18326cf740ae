"""Where microphone audio comes from: a sound device, or a WAV file played in real time.

A source hands out mono int16 samples at 48 kHz on request; the paced track decides when.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

import av
import numpy as np

from therapy_desktop.audio.errors import AudioFileError
from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler

log = logging.getLogger(__name__)


class AudioSource(Protocol):
    def read(self, samples: int) -> np.ndarray:
        """Up to `samples` samples (mono int16, 48 kHz); fewer or none when nothing is ready."""
        ...

    @property
    def exhausted(self) -> bool:
        """True once a finite source (a file) has given everything it has."""
        ...

    def close(self) -> None: ...


def decode_to_pcm(path: Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A whole audio file as mono int16 at `rate` (blocking: call it off the loop)."""
    resampler = MonoResampler(rate)
    try:
        with av.open(str(path)) as container:
            chunks = [resampler.convert(frame) for frame in container.decode(audio=0)]
    except (OSError, av.FFmpegError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)  # FFmpeg's errno numbers mean nothing to people
        raise AudioFileError(f"Could not read the audio file {path}: {reason}") from None
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def audio_file_problem(path: Path) -> str | None:
    """Why `path` cannot be a microphone (not audio, or no sound in it), or None. Decodes only
    until the first samples, so a command line can be checked before anything starts."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return f"{path} has no audio in it"
            for frame in container.decode(audio=0):
                if frame.samples:
                    return None
    except (OSError, av.FFmpegError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not an audio file this app can read"
        return f"cannot read {path}: {reason}"
    return f"{path} holds no audio samples (an empty recording)"


class WavFileSource:
    """A file played as the microphone, in real time (the track's pace), then silence. It waits
    while the uplink is gated (the AI companion speaking), so no word of it is lost."""

    waits_while_muted = True

    def __init__(self, pcm: np.ndarray) -> None:
        self._pcm = pcm
        self._position = 0

    @classmethod
    def load(cls, path: Path) -> WavFileSource:
        return cls(decode_to_pcm(path))

    @property
    def duration(self) -> float:
        return len(self._pcm) / SAMPLE_RATE

    def read(self, samples: int) -> np.ndarray:
        chunk = self._pcm[self._position : self._position + samples]
        self._position += len(chunk)
        return chunk

    @property
    def exhausted(self) -> bool:
        return self._position >= len(self._pcm)

    def close(self) -> None:
        self._position = len(self._pcm)
