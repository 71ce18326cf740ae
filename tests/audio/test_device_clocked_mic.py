"""The microphone track follows the device's clock: a frame goes as soon as the device has one.
A fake PortAudio input stream calls `DeviceMicrophone`'s real callback from its own thread, so
the producer (device thread) and the consumer (the loop's track) really run concurrently."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from therapy_desktop.audio import devices
from therapy_desktop.audio.devices import DeviceMicrophone
from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE
from tests.fakes import fake_sounddevice

BLOCK = SAMPLE_RATE // 100  # 10 ms device blocks at 48 kHz: the resampler passes them through


class FakeInputStream:
    """Delivers `blocks` (a list of int16 arrays) from a thread when `release(n)` allows n more."""

    latency = 0.03
    blocks: list[np.ndarray] = []

    def __init__(self, *, callback, **_: object) -> None:
        self._callback = callback
        self._allowed = threading.Semaphore(0)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def release(self, count: int) -> None:
        for _ in range(count):
            self._allowed.release()

    def _run(self) -> None:
        timing = SimpleNamespace(currentTime=0.01, inputBufferAdcTime=0.0)
        status = SimpleNamespace(input_overflow=False)
        for block in self.blocks:
            while not self._allowed.acquire(timeout=0.05):
                if self._stopped.is_set():
                    return
            self._callback(block.reshape(-1, 1), len(block), timing, status)

    def stop(self) -> None:
        self._stopped.set()

    def close(self) -> None:
        self._thread.join(timeout=5)


@pytest.fixture
def fake_device(monkeypatch):
    sd = fake_sounddevice("fake mic", SAMPLE_RATE, InputStream=FakeInputStream)
    monkeypatch.setattr(devices, "_sounddevice", lambda: sd)
    monkeypatch.setattr(DeviceMicrophone, "MAX_BACKLOG_MS", 60_000)  # this test checks order, not age

    def open_with(blocks: list[np.ndarray]) -> tuple[DeviceMicrophone, FakeInputStream]:
        FakeInputStream.blocks = blocks
        mic = DeviceMicrophone()
        return mic, mic._stream

    return open_with


def _ramp_blocks(count: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Loud, never-zero samples (1…30000 repeating), so padding is told apart from audio."""
    ramp = (np.arange(count * BLOCK) % 30000 + 1).astype(np.int16)
    return ramp, [ramp[i * BLOCK : (i + 1) * BLOCK] for i in range(count)]


def _samples(frame) -> np.ndarray:
    return frame.to_ndarray().reshape(-1)


async def test_every_sample_arrives_once_and_in_order_while_the_device_thread_runs_freely(fake_device):
    ramp, blocks = _ramp_blocks(300)  # 3 s of audio
    mic, stream = fake_device(blocks)
    track = MicrophoneTrack(mic)

    def device_clock() -> None:  # the device's pace, on its own thread, with PulseAudio-like bursts
        for i in range(len(blocks)):
            stream.release(1)
            time.sleep(0.0 if i % 7 else 0.03)
    producer = threading.Thread(target=device_clock)
    producer.start()
    frames, audio = [], 0
    while audio < len(ramp) and len(frames) < 1000:  # bounded: a lost sample fails, not hangs
        frames.append(await track.next_frame())
        audio += np.count_nonzero(_samples(frames[-1]))
    producer.join()
    mic.close()
    heard = np.concatenate([_samples(f) for f in frames])
    assert np.array_equal(heard[heard != 0], ramp)  # nothing lost, repeated or reordered
    assert [f.pts for f in frames] == [i * FRAME_SAMPLES for i in range(len(frames))]


async def test_a_frame_is_taken_as_soon_as_the_device_has_it_not_on_a_later_tick(fake_device):
    ramp, blocks = _ramp_blocks(20)
    mic, stream = fake_device(blocks)
    track = MicrophoneTrack(mic)
    stream.release(20)  # the device delivered 200 ms at once (a burst after a stall)
    frames = [_samples(await track.next_frame()) for _ in range(10)]
    mic.close()
    # Read as they were ready: no frame was short (the wall clock would have covered none of them
    # either, but it would have spread them over 200 ms; here none waited for a tick).
    assert track._pacer.covered == 0
    assert np.array_equal(np.concatenate(frames), ramp)


async def test_a_stalled_device_is_covered_with_silence_then_its_audio_follows_in_order(fake_device):
    ramp, blocks = _ramp_blocks(8)
    mic, stream = fake_device(blocks)
    track = MicrophoneTrack(mic)
    stream.release(2)
    first = _samples(await track.next_frame())
    stalled = [_samples(await track.next_frame()) for _ in range(3)]  # the device sends nothing
    stream.release(6)
    rest = []
    while sum(np.count_nonzero(s) for s in rest) < 6 * BLOCK and len(rest) < 100:
        rest.append(_samples(await track.next_frame()))
    mic.close()
    assert np.array_equal(first, ramp[:FRAME_SAMPLES])
    assert all(not s.any() for s in stalled) and track._pacer.covered >= 3
    heard = np.concatenate(rest)
    assert np.array_equal(heard[heard != 0], ramp[FRAME_SAMPLES:])


async def test_a_source_swapped_mid_call_keeps_the_timestamps_running(fake_device):
    from therapy_desktop.audio.sources import WavFileSource

    ramp, blocks = _ramp_blocks(4)
    mic, stream = fake_device(blocks)
    track = MicrophoneTrack(mic)
    stream.release(4)
    frames = [await track.next_frame(), await track.next_frame()]
    track.source = WavFileSource(np.full(FRAME_SAMPLES, 7, dtype=np.int16))  # a device fell back
    frames.append(await track.next_frame())
    mic.close()
    assert [f.pts for f in frames] == [0, FRAME_SAMPLES, 2 * FRAME_SAMPLES]
    assert (_samples(frames[2]) == 7).all()
