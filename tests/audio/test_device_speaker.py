"""A fault while feeding the speaker is reported as a failed device (the session falls back and
says so), and closing still stops the stream: nothing falls silent unnoticed, nothing leaks."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import numpy as np
import pytest

from therapy_desktop.audio import devices
from therapy_desktop.audio.devices import DeviceSpeaker
from therapy_desktop.audio.jitter_buffer import JitterBuffer
from tests.fakes import fake_sounddevice
from tests.waiting import wait_until

rtmixer = pytest.importorskip("rtmixer")


class BrokenMixer:
    """rtmixer.Mixer's surface; starting to play fails as a bug of ours would."""

    latency = 0.04
    actions: set[object] = set()

    def __init__(self, **_: object) -> None:
        self.stopped = self.closed = False

    def start(self) -> None: ...

    def play_ringbuffer(self, ring: object) -> object:
        raise TypeError("a fault in the feed")

    def fetch_and_reset_stats(self) -> object:
        return object()

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def broken_speaker(monkeypatch):
    sd = fake_sounddevice("fake speaker")
    monkeypatch.setattr(devices, "_sounddevice", lambda: sd)
    monkeypatch.setattr(devices, "_rtmixer", lambda: SimpleNamespace(Mixer=BrokenMixer, RingBuffer=rtmixer.RingBuffer))
    return DeviceSpeaker()


async def test_a_fault_while_feeding_marks_the_speaker_failed_and_close_still_stops_it(broken_speaker):
    buffer = JitterBuffer(48_000, prebuffer_ms=0)
    await broken_speaker.start(buffer)
    stream = broken_speaker._stream
    buffer.push(np.full(960, 5000, dtype=np.int16))  # the player's push must not raise either
    await wait_until(lambda: broken_speaker.failed, 5, "the speaker reported its fault")
    await asyncio.wait_for(broken_speaker.close(), 5)
    assert stream.stopped and stream.closed
