"""A private PulseAudio server with null sinks for the sound card (as in tests/audio), and a
recorder of what reaches its speaker."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.pulse_devices import null_device_room
from benchmarks.audio_rig import SPEAKER

LOUD = 300.0  # int16 RMS; null sinks are digital silence


@pytest.fixture(scope="module")
def sound_room():
    yield from null_device_room()


class SpeakerRecording:
    """What plays on the test's speaker, recorded from its monitor while the block runs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def __aenter__(self) -> SpeakerRecording:
        self._process = await asyncio.create_subprocess_exec(
            "parecord", "-d", f"{SPEAKER}.monitor", "--file-format=wav", str(self.path))
        await self._connected()  # the recorder hears the monitor before anything plays
        return self

    async def _connected(self, timeout: float = 10.0) -> None:
        """Until the server lists parecord's stream on the monitor (a bound, not a speed target)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            listing = await asyncio.create_subprocess_exec(
                "pactl", "list", "short", "source-outputs", stdout=asyncio.subprocess.PIPE)
            out, _ = await listing.communicate()
            if b"parecord" in out or b"protocol-native" in out:
                await asyncio.sleep(0.1)  # its first buffer
                return
            await asyncio.sleep(0.05)
        raise AssertionError("parecord never connected to the speaker's monitor")

    async def __aexit__(self, *_: object) -> None:
        await asyncio.sleep(0.3)
        self._process.terminate()
        await self._process.wait()

    def loud_seconds(self) -> float:
        with wave.open(str(self.path)) as f:
            rate = f.getframerate()
            pcm = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).reshape(-1, f.getnchannels())[:, 0]
        window = rate // 100
        windows = pcm[: len(pcm) // window * window].astype(np.float32).reshape(-1, window)
        return float(np.sum(np.sqrt(np.mean(windows**2, axis=1)) > LOUD)) / 100
