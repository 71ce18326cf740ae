"""Server VAD turn detection: speech probabilities per window → speech started / stopped.

Pure logic (no audio I/O), so it is tested with made-up probabilities. Semantics follow the
GA `server_vad` settings: `threshold`, `prefix_padding_ms` (audio kept from before the start),
`silence_duration_ms` (quiet needed to end the turn).
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass

import numpy as np

MIN_SPEECH_MS = 128  # shorter blips (a click, a cough) do not start a turn, nor cut a reply off
HYSTERESIS = 0.15  # once speaking, stay in speech until the probability drops this far below
PAUSE_MS = 64  # quiet this long within a turn: transcribe what was said so far, in case the turn ends here
_PAUSE_SERIALS = itertools.count(1)  # unique across detectors (a call makes a new one on session.update)


@dataclass(frozen=True)
class SpeechStart:
    audio_start_ms: int


@dataclass(frozen=True)
class SpeechPause:
    """The person went quiet: if the turn ends in this quiet, `audio` is all it said. Emitted once
    per quiet stretch, so a transcription can start before the silence window is over."""

    serial: int
    audio: np.ndarray


@dataclass(frozen=True)
class SpeechEnd:
    audio_end_ms: int
    audio: np.ndarray  # the utterance, prefix padding included (16 kHz mono int16)
    pause_serial: int | None = None  # the SpeechPause whose audio holds all of this utterance's speech
    speech_ms: int = 0  # from the start of speech to its end, without padding or the silence after


class TurnDetector:
    def __init__(
        self,
        *,
        rate: int,
        window: int,
        threshold: float = 0.5,
        prefix_padding_ms: int = 300,
        silence_duration_ms: int = 500,
    ) -> None:
        self._window_ms = window * 1000 / rate
        self.threshold = threshold
        self._min_speech = max(1, round(MIN_SPEECH_MS / self._window_ms))
        self._silence_windows = max(1, round(silence_duration_ms / self._window_ms))
        self._prefix: collections.deque[np.ndarray] = collections.deque(
            maxlen=max(1, round(prefix_padding_ms / self._window_ms)) + self._min_speech
        )
        self._windows = 0
        self._pause_windows = max(1, round(PAUSE_MS / self._window_ms))
        self._pause: int | None = None  # the serial of the pause in the current quiet stretch
        self._speech_start_ms = 0
        self._speaking = False
        self._run = 0  # consecutive windows on the other side of the threshold
        self._last_speech_end_ms = 0
        self._utterance: list[np.ndarray] = []

    @property
    def speaking(self) -> bool:
        return self._speaking

    def buffered(self) -> np.ndarray:
        """What the detector holds that no turn has taken yet: the utterance in progress, or the
        quiet kept as prefix padding (what a client's `input_audio_buffer.commit` commits)."""
        parts = self._utterance if self._speaking else list(self._prefix)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)

    def feed(self, window: np.ndarray, probability: float) -> SpeechStart | SpeechPause | SpeechEnd | None:
        now_ms = self._windows * self._window_ms
        self._windows += 1
        if not self._speaking:
            self._prefix.append(window)
            self._run = self._run + 1 if probability >= self.threshold else 0
            if self._run >= self._min_speech:
                self._speaking, self._run = True, 0
                self._utterance = list(self._prefix)
                self._last_speech_end_ms = int(now_ms + self._window_ms)
                self._pause = None
                self._speech_start_ms = int(now_ms - (self._min_speech - 1) * self._window_ms)
                return SpeechStart(audio_start_ms=self._speech_start_ms)
            return None
        self._utterance.append(window)
        if probability >= self.threshold - HYSTERESIS:
            self._run, self._pause = 0, None
            self._last_speech_end_ms = int(now_ms + self._window_ms)
            return None
        self._run += 1
        if self._run == self._pause_windows and self._run < self._silence_windows:
            self._pause = next(_PAUSE_SERIALS)
            return SpeechPause(self._pause, np.concatenate(self._utterance))
        if self._run < self._silence_windows:
            return None
        self._speaking, self._run = False, 0
        self._prefix.clear()
        audio = np.concatenate(self._utterance)
        self._utterance = []
        pause, self._pause = self._pause, None
        return SpeechEnd(audio_end_ms=self._last_speech_end_ms, audio=audio, pause_serial=pause,
                         speech_ms=self._last_speech_end_ms - self._speech_start_ms)
