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
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from therapy_desktop.audio.double_talk import DoubleTalkDetector
from therapy_desktop.audio.errors import AudioDeviceError
from therapy_desktop.audio.pcm import SAMPLE_RATE, MonoResampler

log = logging.getLogger(__name__)

APM_FRAME = SAMPLE_RATE // 100  # the module takes exactly 10 ms frames
FRAME_S = APM_FRAME / SAMPLE_RATE
# A block that starts later than this after the end of the last begins a new stretch (a pause, an
# underrun); anything nearer, or earlier, continues it. The feed's timestamps jitter by up to ±20 ms
# (the ring's level is read between device blocks): re-anchoring on each of them shifted the reference
# AEC3 sees by tens of milliseconds, 200 times in 800 blocks, and it never converged.
NEW_STRETCH_S = 0.03
REFERENCE_QUIET_RMS = 100.0  # int16 RMS: below this the speaker was silent for convergence purposes


class FarEndTap:
    """Blocks queued for the speaker, each with when it reaches the DAC."""

    def __init__(self, maxlen: int = 200, clock: Callable[[], float] = time.monotonic) -> None:
        self._blocks: collections.deque[tuple[float, int, np.ndarray]] = collections.deque(maxlen=maxlen)
        self.clock = clock  # time.monotonic(), or a test's
        self.lost = 0
        # The least time ahead of its sound a block has been offered (the device's own latency, once
        # a block has been queued to an empty speaker): no block offered later can start sooner.
        self.min_ahead: float | None = None

    def offer(self, block: np.ndarray, rate: int, render_at: float) -> None:
        """`render_at` is time.monotonic() when the block's first sample reaches the DAC. Safe from
        any thread: deque.append is atomic; the copy is the only work."""
        if len(self._blocks) == self._blocks.maxlen:
            self.lost += 1
        ahead = render_at - self.clock()
        if self.min_ahead is None or ahead < self.min_ahead:
            self.min_ahead = ahead
        self._blocks.append((render_at, rate, block.copy()))

    def drain(self) -> list[tuple[float, int, np.ndarray]]:
        out = []
        while self._blocks:
            out.append(self._blocks.popleft())
        return out

    def settled_until(self) -> float:
        """The DAC time before which nothing more can be offered: what has not been offered for
        that time is silence."""
        return self.clock() + max(0.0, self.min_ahead or 0.0) - NEW_STRETCH_S


class ReferenceTimeline:
    """What the speaker played, on its DAC's clock, silence included.

    AEC3 aligns the far end with the microphone by counting calls: it needs one 10 ms reference
    frame per 10 ms of time, also while the speaker is silent. Fed only while audio was queued, every
    reply after a pause reached it shifted by the pause, and it let through the first second of each
    reply (6 dB removed instead of 50, measured offline). The silence between blocks is filled here.
    """

    def __init__(self) -> None:
        self._segments: collections.deque[tuple[float, np.ndarray]] = collections.deque()
        self._end: float | None = None  # DAC time just after the last queued sample

    def add(self, start: float, pcm: np.ndarray) -> None:
        """`pcm` (48 kHz) reaches the DAC at `start`. A block that continues the last (within the
        timestamps' jitter) is chained to it sample for sample; one after a pause starts a new
        stretch. An empty block marks a flush: what was queued from `start` on will not sound."""
        if not len(pcm):
            if self._end is not None and start < self._end:
                self._cut_after(start)
                self._end = start
            return
        if self._end is not None and start < self._end + NEW_STRETCH_S:
            start = self._end
        self._segments.append((start, pcm))
        self._end = start + len(pcm) / SAMPLE_RATE

    def frame_at(self, at: float, settled: float) -> np.ndarray | None:
        """The 10 ms frame that reaches the DAC at `at`, zeros where nothing played; None while
        audio for part of it may still be offered."""
        end = at + APM_FRAME / SAMPLE_RATE
        while self._segments and self._segments[0][0] + len(self._segments[0][1]) / SAMPLE_RATE <= at:
            self._segments.popleft()  # entirely before this frame: fed, or too late to feed
        queued_end = self._end if self._end is not None else at
        if queued_end < end and end > settled and not self._later_than(end):
            return None
        frame = np.zeros(APM_FRAME, dtype=np.int16)
        for start, pcm in self._segments:
            if start >= end:
                break
            first = round((at - start) * SAMPLE_RATE)  # the segment's sample at the frame's start
            lo, hi = max(0, first), min(len(pcm), first + APM_FRAME)
            if hi > lo:
                frame[lo - first : hi - first] = pcm[lo:hi]
        return frame

    def _later_than(self, time_: float) -> bool:
        return bool(self._segments) and self._segments[-1][0] >= time_

    def _cut_after(self, time_: float) -> None:
        kept: collections.deque[tuple[float, np.ndarray]] = collections.deque()
        for start, pcm in self._segments:
            if start < time_:
                kept.append((start, pcm[: max(0, round((time_ - start) * SAMPLE_RATE))]))
        self._segments = kept


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
    """One per microphone. `process` (cancelling) and `observe` (cancellation off, the echo path
    still followed) are called on one thread only (the loop).

    Alignment by timestamps, not by arrival: before each 10 ms microphone frame captured at
    time c, every reference frame that reaches the DAC by c + LEAD is fed (silence where nothing
    played: `ReferenceTimeline`), and the module is told LEAD as the delay. PulseAudio hands blocks over in bursts; feeding in arrival order would make
    the delay the module sees jump by tens of milliseconds, which AEC3 pays for in echo let
    through (pitfall 42). What remains (the acoustic path) its own delay estimator finds.
    """

    LEAD = 0.1  # seconds of reference fed ahead of the microphone frame (AEC3 models up to ~500 ms)
    CATCH_UP_LIMIT = 1.0  # seconds of reference left unfed after which feeding starts afresh

    def __init__(self, tap: FarEndTap, apm: Any | None = None) -> None:
        self.tap = tap
        self._apm = apm if apm is not None else _new_apm()
        from livekit.rtc import AudioFrame

        self._frame = AudioFrame
        self._far_resampler = MonoResampler(SAMPLE_RATE)
        self._far = ReferenceTimeline()
        self._far_next: float | None = None  # DAC time of the next reference frame to feed
        self._near_fifo = np.zeros(0, dtype=np.int16)
        self._near_start = 0.0  # ADC time of _near_fifo[0]
        self._observe_fifo = np.zeros(0, dtype=np.int16)  # the same, while cancellation is off (`observe`)
        self._out_fifo = np.zeros(0, dtype=np.int16)
        self.delay_ms = round(self.LEAD * 1000)
        self.reference_seconds = 0.0  # seconds of audible reference seen: the canceller's experience
        self.frames = 0
        self.reference_frames = 0
        self._level = 0.0  # int16 RMS of the last loud stretch offered to the speaker
        self._level_until = 0.0  # DAC time at which that stretch stops sounding
        # Microphone energy in and out while the speaker sounded: the echo removed, for diagnostics.
        self.echo_energy_in = 0.0
        self.echo_energy_out = 0.0
        self.busy_seconds = 0.0  # time spent here (perf_counter), for the benchmark
        # The person over the reply, judged on the raw microphone: AEC3 turns them down with the echo.
        self.double_talk = DoubleTalkDetector()
        self._double_talk_recent: collections.deque[bool] = collections.deque(maxlen=self.DOUBLE_TALK_HOLD)

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
            self._feed_reference_for(capture)
            cleaned.append(self._process_near(self._near_fifo[offset : offset + APM_FRAME], capture))
            offset += APM_FRAME
        self._near_fifo = self._near_fifo[offset:]
        if cleaned:
            self._out_fifo = np.concatenate([self._out_fifo, *cleaned])
        out, self._out_fifo = self._out_fifo[: len(near)], self._out_fifo[len(near) :]
        self.busy_seconds += time.perf_counter() - started
        return out

    def observe(self, near: np.ndarray, captured_at: float) -> None:
        """Cancellation off (headphones): `near` passes through untouched, and only the double-talk
        detector follows the echo path, so a microphone that hears the speaker can be told
        (`hears_speaker`). AEC3 is not run: the cost is a few array operations per 10 ms."""
        self._take_reference(cancelling=False)
        start = captured_at - len(self._observe_fifo) / SAMPLE_RATE
        fifo = np.concatenate([self._observe_fifo, near.astype(np.int16, copy=False)])
        offset = 0
        while len(fifo) - offset >= APM_FRAME:
            capture = start + offset / SAMPLE_RATE
            self._feed_reference_for(capture, cancelling=False)
            self.double_talk.microphone(capture, _rms(fifo[offset : offset + APM_FRAME]))
            offset += APM_FRAME
        self._observe_fifo = fifo[offset:]

    @property
    def hears_speaker(self) -> bool:
        return self.double_talk.hears_speaker

    def switched(self, *, forget_echo_path: bool) -> None:
        """Cancellation turned on or off: a partial frame read before is not continuous with the
        next read, so it is dropped; `forget_echo_path` when the way the microphone hears the speaker
        may have changed (the person chose headphones)."""
        self._near_fifo = self._near_fifo[:0]
        self._observe_fifo = self._observe_fifo[:0]
        if forget_echo_path:
            self.double_talk.forget_echo_path()

    def _take_reference(self, cancelling: bool = True) -> None:
        """`cancelling` False: AEC3 does not hear this reference, so it adds nothing to its
        experience (a switch to speakers mode still waits out the warm-up)."""
        for render_at, rate, block in self.tap.drain():
            if not len(block):  # the speaker was flushed: nothing queued sounds after this
                self._level_until = min(self._level_until, render_at)
                self._far.add(render_at, block)
                continue
            pcm = self._far_resampler.convert_pcm(block, rate)
            rms = _rms(block)
            if rms > REFERENCE_QUIET_RMS:
                if cancelling:
                    self.reference_seconds += len(block) / rate
                self._level = max(rms, self.reference_level_at(render_at))
                self._level_until = render_at + len(block) / rate
            self._far.add(render_at, pcm)

    LEVEL_DECAY_S = 0.3  # echo tails last a little after the speaker goes quiet

    def reference_level_at(self, at: float) -> float:
        """The speaker's level (int16 RMS) at DAC time `at`: the last loud stretch's, decaying
        once it has played. Held or ended playback offers nothing, so the level must fall with
        time, not with blocks: a floor frozen at the reply's loudness hid the person's speech."""
        quiet_for = max(0.0, at - self._level_until)
        return self._level * math.exp(-quiet_for / self.LEVEL_DECAY_S)

    @property
    def reference_rms(self) -> float:
        """The speaker's level now (what the local voice detector's floor is set from)."""
        return self.reference_level_at(self.tap.clock())

    @reference_rms.setter
    def reference_rms(self, level: float) -> None:  # tests: a speaker that is loud right now
        self._level, self._level_until = level, self.tap.clock()

    def _feed_reference_for(self, capture: float, cancelling: bool = True) -> None:
        """Before the microphone frame captured at `capture`: reference frames up to `capture` +
        LEAD, one per 10 ms of DAC time, silence included. What is still to be offered waits, but
        never past the frame itself: AEC3 must not see the far end fall behind the microphone."""
        deadline = capture + self.LEAD
        if self._far_next is None or deadline - self._far_next > self.CATCH_UP_LIMIT:
            # First frame, or the microphone went unread a while (half-duplex, a stalled device):
            # start here rather than walk every missed 10 ms of reference through AEC3 on the loop.
            if self._far_next is not None:
                self.double_talk.restart_reference()
            self._far_next = deadline
        settled = max(self.tap.settled_until(), capture + FRAME_S)
        while self._far_next <= deadline:
            frame = self._far.frame_at(self._far_next, settled)
            if frame is None:
                break  # its audio may still be offered; the next microphone frame feeds it
            if cancelling:
                data = bytearray(frame.astype("<i2").tobytes())
                self._apm.process_reverse_stream(self._frame(data, SAMPLE_RATE, 1, APM_FRAME))
            self.double_talk.reference(self._far_next, _rms(frame))
            self.reference_frames += 1
            self._far_next += FRAME_S

    DOUBLE_TALK_HOLD = 4  # frames: a voice detector window (32 ms) overlaps up to four of them
    DOUBLE_TALK_FRAMES = 2  # ... of which this many must be double talk: one frame (a click) is not a voice

    @property
    def person_over_echo(self) -> bool:
        """Whether the raw microphone heard someone over the sounding speaker in the last ~40 ms."""
        return sum(self._double_talk_recent) >= self.DOUBLE_TALK_FRAMES

    def _process_near(self, frame: np.ndarray, captured_at: float) -> np.ndarray:
        self._double_talk_recent.append(self.double_talk.microphone(captured_at, _rms(frame)))
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


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.astype(np.float32))))) if len(pcm) else 0.0


class EchoCancelledSource:
    """An `AudioSource` over a device microphone whose reads come back echo-cancelled. It can be
    switched off (headphones) without reopening anything: then it passes the microphone through,
    and with `watch_echo` still lets the canceller tell whether the microphone hears the speaker."""

    def __init__(self, source: Any, canceller: EchoCanceller) -> None:
        self.inner = source
        self.canceller = canceller
        self.enabled = True
        self.watch_echo = False

    def switch(self, *, cancel: bool, watch_echo: bool) -> None:
        """The person's mode changed. Watching starts from nothing: what the echo path looked like
        over speakers says nothing about the headphones just chosen."""
        if (cancel, watch_echo) == (self.enabled, self.watch_echo):
            return
        starts_watching = watch_echo and not cancel and not (self.watch_echo and not self.enabled)
        self.enabled, self.watch_echo = cancel, watch_echo
        self.canceller.switched(forget_echo_path=starts_watching)

    def read(self, samples: int) -> np.ndarray:
        pcm = self.inner.read(samples)
        if not (self.enabled or self.watch_echo) or not len(pcm):
            return pcm
        captured = getattr(self.inner, "capture_time", None)
        if not captured:  # a source without device timing (tests): assume it was captured just now
            captured = time.monotonic() - len(pcm) / SAMPLE_RATE
        if not self.enabled:
            self.canceller.observe(pcm, float(captured))
            return pcm
        return self.canceller.process(pcm, float(captured))

    @property
    def exhausted(self) -> bool:
        return bool(self.inner.exhausted)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # name, overflows, duration… of the device below
        return getattr(self.inner, name)
