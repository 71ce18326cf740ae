"""Sound devices through PortAudio (sounddevice; rtmixer for the speaker). Callbacks run on
PortAudio's threads and never block: the microphone's copies a block into a deque, the speaker's
is rtmixer's C code reading a lock-free ring, with no interpreter involved."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import ctypes.util
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from therapy_desktop.audio import realtime_threads
from therapy_desktop.audio.echo_canceller import FarEndTap
from therapy_desktop.audio.errors import AudioDeviceError
from therapy_desktop.audio.jitter_buffer import JitterBuffer
from therapy_desktop.audio.backlog import StandingBacklog
from therapy_desktop.audio.speaker_ring import RingFeed, SpeakerRing
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, MonoResampler, rms_level

log = logging.getLogger(__name__)

Device = int | str | None
# Device buffering, measured in benchmarks/ on PortAudio's ALSA→PulseAudio path. The microphone
# takes 10 ms blocks with 30 ms of buffer (its callback only copies). The speaker's callback is in
# C (rtmixer) and never waits on the interpreter; its threads run real-time where allowed
# (`realtime_threads`). It keeps 20 ms blocks and 40 ms: with one core busy for 10 minutes, that
# underflowed 0 times, and 10 ms blocks with 20 ms 3 times even real-time (benchmarks/README).
MIC_BLOCK_MS, MIC_LATENCY = 10, 0.03
SPEAKER_BLOCK_MS, SPEAKER_LATENCY = 20, 0.04
_MIC_BLOCK_SAMPLES = SAMPLE_RATE * MIC_BLOCK_MS // 1000  # one device block, resampled to 48 kHz
QUIET_LEVEL = 0.25  # rms_level below this (about -45 dBFS) is not speech: safe to drop


def _sounddevice() -> Any:
    try:
        import sounddevice

        _quiet_alsa()
    except OSError as exc:  # the module loads libportaudio at import time
        raise AudioDeviceError(
            f"Sound devices are unavailable: the PortAudio library is missing ({exc}). "
            "On Debian/Ubuntu install it with: sudo apt-get install libportaudio2"
        ) from None
    return sounddevice


_alsa_handler: Any = None


def _quiet_alsa() -> None:
    """alsa-lib prints its messages (an underrun it recovered from, mostly) straight to stderr,
    which a person never reads and QA mistakes for failures: count them into the debug log."""
    global _alsa_handler
    if _alsa_handler is not None or not sys.platform.startswith("linux"):
        return
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("asound") or "libasound.so.2")
    except OSError:
        return
    signature = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)

    def handler(file: bytes, line: int, function: bytes, err: int, fmt: bytes) -> None:
        log.debug("alsa-lib: %s (%s)", (function or b"").decode(errors="replace"), err)

    _alsa_handler = signature(handler)  # kept: ALSA calls it for as long as the process lives
    lib.snd_lib_error_set_handler(_alsa_handler)


def _open_error(kind: str, device: Device, exc: Exception) -> AudioDeviceError:
    which = f"the {kind} {device!r}" if device not in (None, "") else f"a {kind}"
    return AudioDeviceError(
        f"Could not open {which}: {exc}. Check that one is connected, allowed for this app and not in use."
    )


class DeviceMicrophone:
    """A PortAudio input device as an `AudioSource`. Resampling to 48 kHz happens on the loop,
    when the track reads."""

    MAX_BACKLOG_MS = 200  # audio older than this is dropped: a late word is worse than a lost one

    def __init__(self, device: Device = None) -> None:
        sd = _sounddevice()
        self._blocks: collections.deque[tuple[float, float, np.ndarray]] = collections.deque(maxlen=64)
        self.overflows = 0  # blocks PortAudio lost before we took them
        try:
            info = sd.query_devices(device, "input")
            # Open at the device's own rate (Pulse/PipeWire reject or mangle others) and resample.
            self.device_rate = int(info["default_samplerate"])
            self.failed = False  # PortAudio ended the stream by itself (a device unplugged)
            self.last_callback = time.monotonic()
            self._stream = _start_stream(sd.InputStream, device, self.device_rate, MIC_BLOCK_MS, MIC_LATENCY,
                                         self._on_block, self._finished)
        except (sd.PortAudioError, ValueError) as exc:
            raise _open_error("microphone", device, exc) from None
        self.name = str(info["name"])
        self._resampler = MonoResampler(SAMPLE_RATE)
        self._fifo = np.zeros(0, dtype=np.int16)
        self._backlog = StandingBacklog(keep=FRAME_SAMPLES)  # PulseAudio delivers in bursts at first
        # Per resampled block in the fifo: [arrival time, samples of it still unread].
        self._arrivals: collections.deque[list[float | int]] = collections.deque()
        self.input_latency = float(self._stream.latency)  # PortAudio's estimate, capture → callback
        # Measured per block from PortAudio's clock (currentTime − inputBufferAdcTime); the stream's
        # latency until a block says otherwise (some host APIs report zeros).
        self.capture_latency = self.input_latency
        self.read_delay = 0.0  # seconds the last frame's first sample waited between callback and track
        self.capture_time = 0.0  # time.monotonic() when the last read's first sample reached the ADC
        # Who to wake, and after how many queued blocks, when a frame's worth is in.
        self._waiter: tuple[asyncio.AbstractEventLoop, Callable[[], None], int] | None = None
        log.info("microphone %r open at %d Hz", self.name, self.device_rate)

    def _on_block(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self.last_callback = now = time.monotonic()
        measured = time_info.currentTime - time_info.inputBufferAdcTime
        if 0.0 < measured < 1.0:
            self.capture_latency = measured
        else:  # no usable ADC time from this host API: the block's length plus the stream latency
            measured = frames / self.device_rate + self.input_latency
        # When the block's first sample reached the ADC, on our monotonic clock: robust to the
        # bursts in which PulseAudio delivers blocks (their arrival times bunch up, these do not).
        self._blocks.append((now, now - measured, indata[:, 0].copy()))
        if status.input_overflow:
            self.overflows += 1  # an int += from one thread only; read for diagnostics
        waiter = self._waiter
        if waiter is not None and len(self._blocks) >= waiter[2]:
            self._waiter = None
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
                waiter[0].call_soon_threadsafe(waiter[1])

    def when_ready(self, wake: Callable[[], None], samples: int = FRAME_SAMPLES) -> bool:
        """True if `samples` can be read now. Otherwise `wake` is called on the loop (once, from
        the device's thread) when enough blocks have arrived that they probably can: the track
        sends a frame as soon as the device has it, instead of at the wall clock's next tick."""
        self._drain()
        missing = samples - len(self._fifo)
        if missing <= 0:
            self._waiter = None
            return True
        loop = asyncio.get_running_loop()
        blocks = -(-missing // _MIC_BLOCK_SAMPLES)
        self._waiter = (loop, wake, blocks)
        if len(self._blocks) >= blocks:  # arrived while we counted: the callback may have missed us
            self._waiter = None
            loop.call_soon(wake)
        return False

    def _drain(self) -> None:
        """The blocks the callback queued, resampled into the FIFO (on the loop)."""
        while self._blocks:
            arrival, captured, block = self._blocks.popleft()
            pcm = self._resampler.convert_pcm(block, self.device_rate)
            self._fifo = np.concatenate([self._fifo, pcm])
            self._arrivals.append([arrival, len(pcm), captured, len(pcm)])

    def read(self, samples: int) -> np.ndarray:
        self._drain()
        limit = SAMPLE_RATE * self.MAX_BACKLOG_MS // 1000
        if len(self._fifo) > limit:
            self._consume(len(self._fifo) - limit)
        self._backlog.observe(len(self._fifo))
        if self._backlog.excess and rms_level(self._fifo[: self._backlog.excess]) < QUIET_LEVEL:
            self._consume(self._backlog.take())
        if self._arrivals:
            arrival, unread, captured, total = self._arrivals[0]
            # The first sample read was captured `unread` samples before its block arrived.
            self.read_delay = time.monotonic() - float(arrival) + int(unread) / SAMPLE_RATE
            self.capture_time = float(captured) + (int(total) - int(unread)) / SAMPLE_RATE
        return self._consume(samples)

    def _consume(self, samples: int) -> np.ndarray:
        chunk, self._fifo = self._fifo[:samples], self._fifo[samples:]
        left = len(chunk)
        while left and self._arrivals:
            mark = self._arrivals[0]
            take = min(left, int(mark[1]))
            mark[1] = int(mark[1]) - take
            left -= take
            if not mark[1]:
                self._arrivals.popleft()
        return chunk

    def _finished(self) -> None:
        self.failed = True  # also after close(); the session stops watching before closing

    @property
    def exhausted(self) -> bool:
        return False

    def close(self) -> None:
        _stop_stream(self._stream, "microphone")


class DeviceSpeaker:
    """A PortAudio output device as an `AudioSink`, played by rtmixer's C callback from a ring
    (`speaker_ring`) that the loop keeps fed from the jitter buffer: on every push, and every
    `FEED_PERIOD` for what a burst left beyond the ring's horizon."""

    HORIZON_MS = 80  # at most this much is in the ring; the rest waits in the jitter buffer's policy
    FEED_PERIOD = 0.02
    STATS_PERIOD = 0.5  # how often the device's own counters are fetched (also proof it is alive)

    def __init__(self, device: Device = None) -> None:
        self._sd = _sounddevice()
        self._device = device
        try:
            info = self._sd.query_devices(device, "output")
        except (self._sd.PortAudioError, ValueError) as exc:
            raise _open_error("speaker", device, exc) from None
        self.name = str(info["name"])
        self.rate = int(info["default_samplerate"])
        self._stream: Any = None
        self._feed: RingFeed | None = None
        self._feeding: asyncio.Task[None] | None = None
        self._stats_action: Any = None
        self._stats_sent = 0.0
        self.buffer: JitterBuffer | None = None
        self.device_latency = 0.0  # PortAudio's estimate, callback → sound, once started
        self.underflows = 0  # blocks the device played before its callback filled them (a glitch each)
        self._reference: FarEndTap | None = None  # told every block queued: the echo canceller's far end
        self.failed = False
        self.last_callback = time.monotonic()  # when the device's callback last answered us

    @property
    def output_latency(self) -> float:
        """Seconds from handing audio over to hearing it: what the ring holds plus the device."""
        return self._feed.latency if self._feed is not None else self.device_latency

    @property
    def gaps(self) -> int:
        return self._feed.gaps if self._feed is not None else 0

    @property
    def reference(self) -> FarEndTap | None:
        return self._reference

    @reference.setter
    def reference(self, tap: FarEndTap | None) -> None:
        self._reference = tap
        if self._feed is not None:
            self._feed.reference = tap

    async def start(self, buffer: JitterBuffer) -> None:
        # Opening a PortAudio stream can take a few hundred ms (PulseAudio): off the loop.
        await asyncio.to_thread(self._open, buffer)
        buffer.downstream = self
        self._feeding = asyncio.get_running_loop().create_task(self._feed_regularly())

    def _open(self, buffer: JitterBuffer) -> None:
        rtmixer = _rtmixer()
        self.buffer = buffer
        threads = realtime_threads.thread_ids()  # opening starts libpulse's thread, below ALSA (Linux)
        try:
            self._stream = rtmixer.Mixer(
                device=self._device, channels=1, samplerate=self.rate, blocksize=self.rate * SPEAKER_BLOCK_MS // 1000,
                latency=SPEAKER_LATENCY, finished_callback=self._finished,
            )
            realtime_threads.ask_portaudio(self._sd, self._stream)
            self._stream.start()
            realtime_threads.raise_pulse_threads(threads)
        except (self._sd.PortAudioError, ValueError) as exc:
            raise _open_error("speaker", self._device, exc) from None
        self.device_latency = float(self._stream.latency)
        self._feed = RingFeed(SpeakerRing(self._stream, rtmixer.RingBuffer), buffer, self.rate, self.device_latency,
                              self.rate * self.HORIZON_MS // 1000)
        self._feed.reference = self._reference
        log.info("speaker %r open at %d Hz, %.0f ms device buffer, %d real-time threads", self.name, self.rate,
                 self.device_latency * 1000, realtime_threads.count())

    def _finished(self) -> None:
        self.failed = True

    # -- the jitter buffer's downstream (on the loop) -----------------------------------------------

    def pushed(self) -> None:
        if self._feed is not None and not self.failed:
            self._guarded(self._feed.feed)

    def held(self) -> None:
        if self._feed is not None:
            self._guarded(self._feed.pause)

    def cleared(self) -> None:
        if self._feed is not None:
            self._guarded(self._feed.flush)

    async def _feed_regularly(self) -> None:
        while not self.failed:
            await asyncio.sleep(self.FEED_PERIOD)
            self.pushed()
            self._fetch_stats()

    def _fetch_stats(self) -> None:
        """The device's underflow count, and proof its callback still runs: a stats request is
        answered by the callback itself."""
        stream = self._stream
        if stream is None:
            return
        now = time.monotonic()
        action = self._stats_action
        if action is not None and self._guarded(lambda: action not in stream.actions):
            self.underflows += int(action.stats.output_underflows)
            self.last_callback = now
            action = self._stats_action = None
        if action is None and now - self._stats_sent >= self.STATS_PERIOD:
            self._stats_action = self._guarded(stream.fetch_and_reset_stats)
            self._stats_sent = now

    def _guarded(self, call: Any, *args: Any) -> Any:
        """rtmixer raises RuntimeError when its action queue is full: the callback stopped taking
        requests (a stalled device), which the session's device watch turns into a fallback.
        Anything else is a fault of ours: the speaker counts as failed (the watch falls back,
        and says so) rather than falling silent with no one told."""
        try:
            return call(*args)
        except RuntimeError as exc:
            log.debug("speaker: %s", exc)
        except Exception:
            log.exception("speaker: feeding the device failed")
            self.failed = True
        return None

    async def close(self) -> None:
        if self._feeding is not None:
            self._feeding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._feeding
            self._feeding = None
        if self.buffer is not None and self.buffer.downstream is self:
            self.buffer.downstream = None
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await asyncio.to_thread(_stop_stream, stream, "speaker")


def _rtmixer() -> Any:
    try:
        import rtmixer
    except (ImportError, OSError) as exc:
        raise AudioDeviceError(f"The speaker cannot be played: rtmixer is missing ({exc}).") from None
    return rtmixer


def _start_stream(kind: Any, device: Device, rate: int, block_ms: int, latency: float, callback: Any,
                  finished: Any = None) -> Any:
    """A started mono int16 PortAudio stream at the device's own `rate`."""
    stream = kind(device=device, channels=1, dtype="int16", samplerate=rate,
                  blocksize=rate * block_ms // 1000, latency=latency, callback=callback, finished_callback=finished)
    stream.start()
    return stream


def _stop_stream(stream: Any, kind: str) -> None:
    try:
        stream.stop()
        stream.close()
    except Exception as exc:  # noqa: BLE001 - a vanished device must not stop the app closing
        log.warning("closing the %s: %s", kind, exc)
