"""Echo cancellation for laptop speakers: WebRTC's audio processing module (AEC3) from `livekit`.

The far-end reference is what really went to the speaker: the output callback hands each block
it filled to `FarEndTap.offer` (a deque append, nothing else on PortAudio's thread) with the time
that block will reach the DAC. The canceller runs on the loop when the uplink reads the
microphone: it feeds the reference blocks to `process_reverse_stream`, then the microphone in
exact 10 ms frames to `process_stream`, telling it the render-to-capture delay measured from the
devices' own clocks (pitfall 42). Chosen over speexdsp / pyaec (Speex-style, reported too weak for
voice agents and unstable under timing jitter, pitfall 45) and `webrtc-audio-processing` (the old
AEC2-era bindings, source build): livekit ships prebuilt AEC3 wheels for Linux, macOS, Windows.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Any

import numpy as np

from therapy_desktop.audio.errors import AudioDeviceError
from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler

log = logging.getLogger(__name__)

APM_FRAME = SAMPLE_RATE // 100  # the module takes exactly 10 ms frames
MAX_DELAY_MS = 500  # AEC3 cannot model much more (pitfall 42); beyond this the timing is wrong
REFERENCE_QUIET_RMS = 100.0  # int16 RMS: below this the speaker was silent for convergence purposes


class FarEndTap:
    """Blocks the speaker actually played, handed from PortAudio's thread to the loop."""

    def __init__(self, maxlen: int = 200) -> None:
        self._blocks: collections.deque[tuple[float, int, np.ndarray]] = collections.deque(maxlen=maxlen)
        self.lost = 0

    def offer(self, block: np.ndarray, rate: int, render_at: float) -> None:
        """Called from the output callback: `render_at` is time.monotonic() when the block's first
        sample reaches the DAC. deque.append is atomic; the copy is the only work."""
        if len(self._blocks) == self._blocks.maxlen:
            self.lost += 1
        self._blocks.append((render_at, rate, block.copy()))

    def drain(self) -> list[tuple[float, int, np.ndarray]]:
        out = []
        while self._blocks:
            out.append(self._blocks.popleft())
        return out


def _new_apm() -> Any:
    try:
        from livekit.rtc import AudioProcessingModule
    except ImportError as exc:
        raise AudioDeviceError(
            f"Echo cancellation is unavailable ({exc}). Install the 'livekit' package, or choose "
            "headphones or half-duplex in the audio settings."
        ) from None
    return AudioProcessingModule(echo_cancellation=True, noise_suppression=True, high_pass_filter=True)


class EchoCanceller:
    """One per microphone. `process` is called on one thread only (the loop)."""

    def __init__(self, tap: FarEndTap, apm: Any | None = None) -> None:
        self.tap = tap
        self._apm = apm if apm is not None else _new_apm()
        from livekit.rtc import AudioFrame

        self._frame = AudioFrame
        self._far_resampler = MonoResampler(SAMPLE_RATE)
        self._far_fifo = np.zeros(0, dtype=np.int16)
        self._near_fifo = np.zeros(0, dtype=np.int16)
        self._out_fifo = np.zeros(0, dtype=np.int16)
        self._far_end_time = 0.0  # render time of the sample after the last reference sample fed
        self._lock = threading.Lock()
        self.delay_ms = 0  # the last delay given to the module
        self.reference_seconds = 0.0  # seconds of audible reference seen: the canceller's experience
        self.frames = 0
        self.busy_seconds = 0.0  # CPU-ish time spent in the module (perf_counter), for the benchmark

    def process(self, near: np.ndarray, capture_delay: float) -> np.ndarray:
        """`near`: mono int16 48 kHz microphone samples just read; `capture_delay`: seconds from
        the first of them reaching the ADC until now. Returns as many cleaned samples as it was
        given once primed (the first call holds back under 10 ms)."""
        started = time.perf_counter()
        now = time.monotonic()
        self._feed_reference(now)
        captured_at = now - capture_delay
        self._near_fifo = np.concatenate([self._near_fifo, near.astype(np.int16, copy=False)])
        cleaned = []
        offset = 0
        while len(self._near_fifo) - offset >= APM_FRAME:
            frame = self._near_fifo[offset : offset + APM_FRAME]
            frame_capture = captured_at + offset / SAMPLE_RATE
            offset += APM_FRAME
            cleaned.append(self._process_near(frame, frame_capture))
        self._near_fifo = self._near_fifo[offset:]
        if cleaned:
            self._out_fifo = np.concatenate([self._out_fifo, *cleaned])
        out, self._out_fifo = self._out_fifo[: len(near)], self._out_fifo[len(near) :]
        self.busy_seconds += time.perf_counter() - started
        return out

    def _feed_reference(self, now: float) -> None:
        for render_at, rate, block in self.tap.drain():
            pcm = self._far_resampler.convert_pcm(block, rate)
            if float(np.sqrt(np.mean(np.square(block.astype(np.float32))))) > REFERENCE_QUIET_RMS:
                self.reference_seconds += len(block) / rate
            self._far_fifo = np.concatenate([self._far_fifo, pcm])
            self._far_end_time = render_at + len(block) / rate
        offset = 0
        while len(self._far_fifo) - offset >= APM_FRAME:
            data = bytearray(self._far_fifo[offset : offset + APM_FRAME].astype("<i2").tobytes())
            self._apm.process_reverse_stream(self._frame(data, SAMPLE_RATE, 1, APM_FRAME))
            offset += APM_FRAME
        self._far_fifo = self._far_fifo[offset:]

    def _process_near(self, frame: np.ndarray, captured_at: float) -> np.ndarray:
        # The module's delay = (t_render - t_analyze) + (t_process - t_capture). Everything here is
        # analysed and processed "now", so it reduces to: when the newest reference frame fed
        # renders, minus when this microphone frame was captured.
        newest_render = self._far_end_time - len(self._far_fifo) / SAMPLE_RATE - APM_FRAME / SAMPLE_RATE
        delay = int(round((newest_render - captured_at) * 1000)) if self._far_end_time else 0
        self.delay_ms = min(MAX_DELAY_MS, max(0, delay))
        self._apm.set_stream_delay_ms(self.delay_ms)
        data = bytearray(frame.astype("<i2").tobytes())
        audio = self._frame(data, SAMPLE_RATE, 1, APM_FRAME)
        self._apm.process_stream(audio)
        self.frames += 1
        return np.frombuffer(bytes(audio.data), dtype=np.int16).copy()


class EchoCancelledSource:
    """An `AudioSource` over a device microphone whose reads come back echo-cancelled. It can be
    switched off (headphones) without reopening anything: then it passes the microphone through."""

    def __init__(self, source: Any, canceller: EchoCanceller) -> None:
        self.inner = source
        self.canceller = canceller
        self.enabled = True

    def read(self, samples: int) -> np.ndarray:
        pcm = self.inner.read(samples)
        if not self.enabled or not len(pcm):
            return pcm
        delay = float(getattr(self.inner, "read_delay", 0.0)) + float(getattr(self.inner, "capture_latency", 0.0))
        return self.canceller.process(pcm, delay)

    @property
    def exhausted(self) -> bool:
        return bool(self.inner.exhausted)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # name, overflows, duration… of the device below
        return getattr(self.inner, name)
