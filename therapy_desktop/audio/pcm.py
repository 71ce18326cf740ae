"""PCM conventions shared by the audio layer, and conversions to and from PyAV frames."""

from __future__ import annotations

import fractions

import av
import numpy as np

SAMPLE_RATE = 48_000  # WebRTC's Opus clock; everything the app handles is mono int16 at this rate
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)


def frame_from_pcm(pcm: np.ndarray, pts: int, rate: int = SAMPLE_RATE) -> av.AudioFrame:
    """A mono s16 frame with the timing fields aiortc's encoder needs (pitfall: all three)."""
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm, dtype=np.int16).reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    frame.pts = pts
    frame.time_base = fractions.Fraction(1, rate)
    return frame


class MonoResampler:
    """Any frame → mono int16 samples at `rate`. One instance per stream: it keeps filter state,
    and a fresh resampler per chunk clicks at every edge."""

    def __init__(self, rate: int = SAMPLE_RATE) -> None:
        self.rate = rate
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        self._pts = 0

    def convert(self, frame: av.AudioFrame) -> np.ndarray:
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        if not out:
            return np.zeros(0, dtype=np.int16)
        return out[0] if len(out) == 1 else np.concatenate(out)

    def convert_pcm(self, pcm: np.ndarray, rate: int) -> np.ndarray:
        """Mono int16 samples at `rate` → mono int16 at `self.rate`."""
        if rate == self.rate:
            return pcm.astype(np.int16, copy=False)
        frame = frame_from_pcm(pcm, pts=self._pts, rate=rate)
        self._pts += len(pcm)
        return self.convert(frame)


def rms_level(pcm: np.ndarray) -> float:
    """Loudness for a meter: 0.0 at -60 dBFS or below, 1.0 at full scale."""
    if pcm.size == 0:
        return 0.0
    samples = pcm.astype(np.float32)
    rms = float(np.sqrt(np.dot(samples, samples) / pcm.size))  # per frame on the loop: no temporary square
    if rms < 1.0:
        return 0.0
    dbfs = 20.0 * np.log10(rms / 32768.0)
    return float(min(1.0, max(0.0, (dbfs + 60.0) / 60.0)))
