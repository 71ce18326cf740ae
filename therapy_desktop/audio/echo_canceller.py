"""Echo cancellation for laptop speakers: WebRTC's audio processing module (AEC3) from `livekit`.

The far-end reference is what really goes to the speaker: the speaker hands each block it queues
for the device to `FarEndTap.offer` with the time that block will reach the DAC. The canceller
runs on the loop when the uplink reads the microphone: it feeds the reference blocks to
`process_reverse_stream`, then the microphone in exact 10 ms frames to `process_stream`, telling
it the render-to-capture delay measured from the devices' own clocks (pitfall 42). Chosen over
speexdsp / pyaec (Speex-style, reported too weak for voice agents and unstable under timing
jitter, pitfall 45) and `webrtc-audio-processing` (the old AEC2-era bindings, source build):
livekit ships prebuilt AEC3 wheels for Linux, macOS, Windows.
"""

from __future__ import annotations

import collections
import logging
import time
from typing import Any

import numpy as np

from therapy_desktop.audio.errors import AudioDeviceError
from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler

log = logging.getLogger(__name__)

APM_FRAME = SAMPLE_RATE // 100  # the module takes exactly 10 ms frames
REFERENCE_QUIET_RMS = 100.0  # int16 RMS: below this the speaker was silent for convergence purposes


class FarEndTap:
    """Blocks queued for the speaker, each with when it reaches the DAC."""

    def __init__(self, maxlen: int = 200) -> None:
        self._blocks: collections.deque[tuple[float, int, np.ndarray]] = collections.deque(maxlen=maxlen)
        self.lost = 0

    def offer(self, block: np.ndarray, rate: int, render_at: float) -> None:
        """`render_at` is time.monotonic() when the block's first sample reaches the DAC. Safe from
        any thread: deque.append is atomic; the copy is the only work."""
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


class SteadyClock:
    """The time of a continuous stream's samples, from noisy per-block timestamps: a stream's
    samples are evenly spaced, so `timestamp − samples/rate` is constant but for jitter. An
    average of it removes the jitter (under a millisecond from PortAudio here); a jump beyond
    `resync` (an underrun: the device played a gap the reference does not hold, a new device)
    re-anchors."""

    def __init__(self, weight: float = 0.02, resync: float = 0.008) -> None:
        self._weight, self._resync = weight, resync
        self.offset: float | None = None

    def observe(self, timestamp: float, sample_index: int) -> None:
        offset = timestamp - sample_index / SAMPLE_RATE
        if self.offset is None or abs(offset - self.offset) > self._resync:
            self.offset = offset
        else:
            self.offset += self._weight * (offset - self.offset)

    def time_of(self, sample_index: int) -> float:
        return (self.offset or 0.0) + sample_index / SAMPLE_RATE


class EchoCanceller:
    """One per microphone. `process` is called on one thread only (the loop).

    Alignment by timestamps, not by arrival: before each 10 ms microphone frame captured at
    time c, every reference frame that reaches the DAC by c + LEAD is fed, and the module is told
    LEAD as the delay. PulseAudio hands blocks over in bursts; feeding in arrival order would make
    the delay the module sees jump by tens of milliseconds, which AEC3 pays for in echo let
    through (pitfall 42). What remains (the acoustic path) its own delay estimator finds.
    """

    LEAD = 0.1  # seconds of reference fed ahead of the microphone frame (AEC3 models up to ~500 ms)

    def __init__(self, tap: FarEndTap, apm: Any | None = None) -> None:
        self.tap = tap
        self._apm = apm if apm is not None else _new_apm()
        from livekit.rtc import AudioFrame

        self._frame = AudioFrame
        self._far_resampler = MonoResampler(SAMPLE_RATE)
        self._far_fifo = np.zeros(0, dtype=np.int16)
        self._far_fed = 0  # reference samples (48 kHz) fed so far: the index of _far_fifo[0]
        self._far_clock = SteadyClock()  # DAC time of reference sample n
        self._near_fifo = np.zeros(0, dtype=np.int16)
        self._near_start = 0.0  # ADC time of _near_fifo[0]
        self._out_fifo = np.zeros(0, dtype=np.int16)
        self.delay_ms = round(self.LEAD * 1000)
        self.reference_seconds = 0.0  # seconds of audible reference seen: the canceller's experience
        self.frames = 0
        self.reference_frames = 0
        self.reference_rms = 0.0  # the speaker's recent level (int16 RMS, ~300 ms memory)
        # Microphone energy in and out while the speaker sounded: the echo removed, for diagnostics.
        self.echo_energy_in = 0.0
        self.echo_energy_out = 0.0
        self.busy_seconds = 0.0  # time spent here (perf_counter), for the benchmark

    def process(self, near: np.ndarray, captured_at: float) -> np.ndarray:
        """`near`: mono int16 48 kHz microphone samples just read, the first of them captured at
        `captured_at` (time.monotonic()). Returns as many cleaned samples as it was given once
        primed (the first call holds back under 10 ms)."""
        started = time.perf_counter()
        self._take_reference()
        # The microphone's own reader drops samples (a stale backlog, PulseAudio's bursts), so its
        # timestamps are taken as given, per read, not smoothed across reads like the speaker's.
        self._near_start = captured_at - len(self._near_fifo) / SAMPLE_RATE
        self._near_fifo = np.concatenate([self._near_fifo, near.astype(np.int16, copy=False)])
        cleaned = []
        offset = 0
        while len(self._near_fifo) - offset >= APM_FRAME:
            capture = self._near_start + offset / SAMPLE_RATE
            self._feed_reference_until(capture + self.LEAD)
            cleaned.append(self._process_near(self._near_fifo[offset : offset + APM_FRAME]))
            offset += APM_FRAME
        self._near_fifo = self._near_fifo[offset:]
        if cleaned:
            self._out_fifo = np.concatenate([self._out_fifo, *cleaned])
        out, self._out_fifo = self._out_fifo[: len(near)], self._out_fifo[len(near) :]
        self.busy_seconds += time.perf_counter() - started
        return out

    def _take_reference(self) -> None:
        for render_at, rate, block in self.tap.drain():
            pcm = self._far_resampler.convert_pcm(block, rate)
            rms = float(np.sqrt(np.mean(np.square(block.astype(np.float32))))) if len(block) else 0.0
            if rms > REFERENCE_QUIET_RMS:
                self.reference_seconds += len(block) / rate
            # Rises at once, decays over ~300 ms: echo tails last after the speaker goes quiet.
            self.reference_rms = max(rms, self.reference_rms * (1 - len(block) / rate / 0.3))
            self._far_clock.observe(render_at, self._far_fed + len(self._far_fifo))
            self._far_fifo = np.concatenate([self._far_fifo, pcm])

    def _feed_reference_until(self, deadline: float) -> None:
        offset = 0
        while len(self._far_fifo) - offset >= APM_FRAME and self._far_clock.time_of(self._far_fed + offset) <= deadline:
            data = bytearray(self._far_fifo[offset : offset + APM_FRAME].astype("<i2").tobytes())
            self._apm.process_reverse_stream(self._frame(data, SAMPLE_RATE, 1, APM_FRAME))
            self.reference_frames += 1
            offset += APM_FRAME
        self._far_fifo = self._far_fifo[offset:]
        self._far_fed += offset

    def _process_near(self, frame: np.ndarray) -> np.ndarray:
        self._apm.set_stream_delay_ms(self.delay_ms)  # required before every frame
        data = bytearray(frame.astype("<i2").tobytes())
        audio = self._frame(data, SAMPLE_RATE, 1, APM_FRAME)
        self._apm.process_stream(audio)
        self.frames += 1
        out = np.frombuffer(bytes(audio.data), dtype=np.int16).copy()
        if self.reference_rms > REFERENCE_QUIET_RMS:
            self.echo_energy_in += float(np.sum(np.square(frame.astype(np.float64))))
            self.echo_energy_out += float(np.sum(np.square(out.astype(np.float64))))
        return out

    @property
    def echo_removed_db(self) -> float:
        """Microphone energy removed while the speaker sounded (double talk included)."""
        if not self.echo_energy_in:
            return 0.0
        return float(10 * np.log10(self.echo_energy_in / max(self.echo_energy_out, 1.0)))


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
        captured = getattr(self.inner, "capture_time", None)
        if not captured:  # a source without device timing (tests): assume it was captured just now
            captured = time.monotonic() - len(pcm) / SAMPLE_RATE
        return self.canceller.process(pcm, float(captured))

    @property
    def exhausted(self) -> bool:
        return bool(self.inner.exhausted)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # name, overflows, duration… of the device below
        return getattr(self.inner, name)
