"""A session through real PortAudio devices: PulseAudio null sinks stand in for the sound card.

The test runs its own PulseAudio server (a developer's desktop sound is left alone). The
utterance is played into a null sink whose monitor is the default microphone; what the app
plays goes to another null sink, recorded from its monitor."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.pulse_devices import null_device_room
from benchmarks.audio_rig import MIC_SINK, SPEAKER
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType

pytestmark = [pytest.mark.devices, pytest.mark.slow]


@pytest.fixture(scope="module")
def null_devices():
    yield from null_device_room()


def _rms(path: Path) -> float:
    with wave.open(str(path)) as f:
        pcm = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).astype(np.float32)
    return float(np.sqrt(np.mean(pcm**2))) if pcm.size else 0.0


async def test_speech_into_the_default_microphone_gets_a_spoken_answer(null_devices, engine, demo_provider,
                                                                      utterance_wavs, tmp_path):
    recording = tmp_path / "heard.wav"
    session = TherapySession(TherapyType.ANXIETY, demo_provider, AudioEndpoints())
    errors = []
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    assert session.state is SessionState.LISTENING, errors
    recorder = await asyncio.create_subprocess_exec(
        "parecord", "-d", f"{SPEAKER}.monitor", "--file-format=wav", str(recording))
    try:
        async def greeted() -> None:  # the AI speaks first; a person listens, then speaks
            while not (session.transcript.visible_items() and session.transcript.visible_items()[0].final
                       and session.is_quiet):
                await asyncio.sleep(0.1)

        await asyncio.wait_for(greeted(), 60)
        speaker = await asyncio.create_subprocess_exec("paplay", "-d", MIC_SINK, str(utterance_wavs["hello"]))
        await speaker.wait()

        async def answered() -> None:
            while True:
                items = session.transcript.visible_items()
                if len(items) >= 3 and items[-1].final and session.is_quiet:
                    return
                await asyncio.sleep(0.1)

        await asyncio.wait_for(answered(), 60)
    finally:
        recorder.terminate()
        await recorder.wait()
        await session.end()
    items = session.transcript.visible_items()
    assert [i.role for i in items] == ["assistant", "user", "assistant"]
    assert "work" in items[1].text.lower()
    assert items[2].text.endswith("?")
    assert _rms(recording) > 200  # the therapist's voice reached the speaker
    assert errors == []
