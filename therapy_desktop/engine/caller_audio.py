"""The caller's decoded frames as 16 kHz mono samples for the VAD, with digital silence passed
around the resampler.

A muted or idle microphone sends 50 frames of exact zeros a second, and resampling each one (a
PyAV call, a frame object, an array copy) was the largest part of what the engine's loop did per
received frame. Once one silent frame has gone through the resampler its filter holds only
zeros, so the next silent frames would come out as zeros of a known length: they are made
directly. The first frame with sound goes through the resampler again, which then holds exactly
what it would have held had it seen every silent frame. (A silent frame the inline decoder hands
on again is the same object: known silent without looking at its samples.)
"""

from __future__ import annotations

import av
import numpy as np

from therapy_desktop.audio.pcm import MonoResampler


class CallerResampler:
    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._resampler = MonoResampler(rate)
        self._settled = False  # the resampler's filter holds only zeros
        self._known_silent: av.AudioFrame | None = None  # the last frame found to be digital silence
        self.bypassed = 0  # silent frames made without the resampler (diagnostics, tests)

    def convert(self, frame: av.AudioFrame) -> np.ndarray:
        silent = frame is self._known_silent or not frame.to_ndarray().any()
        if silent:
            self._known_silent = frame
        if silent and self._settled:
            out_samples, remainder = divmod(frame.samples * self.rate, frame.sample_rate)
            if not remainder:
                self.bypassed += 1
                return np.zeros(out_samples, dtype=np.int16)
        self._settled = silent
        return self._resampler.convert(frame)
