"""The Audio page's device work through real PortAudio devices: a private PulseAudio server whose
null sinks stand in for the sound card (as in tests/audio). What reaches the speaker is recorded
from its monitor; the microphone is fed by playing speech into the sink it listens to."""

from __future__ import annotations

import asyncio
import os
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from benchmarks.audio_rig import MIC_SINK, SPEAKER, pulse_room
from tests.settings.speech_server import spoken_pcm
from therapy_desktop.audio import device_list
from therapy_desktop.audio import texts as audio_texts
from therapy_desktop.realtime.voice_preview import VoiceSample
from therapy_desktop.settings import messages, sound_check
from therapy_desktop.settings.sound_check import SoundCheckFailed

LOUD = 300.0  # int16 RMS; null sinks are digital silence


@pytest.fixture(scope="module")
def room():
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        reason = "PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)"
        if os.environ.get("THERAPY_DESKTOP_REQUIRE_DEVICES") == "1":
            pytest.fail(f"device test required but {reason}")
        pytest.skip(reason)
    with pulse_room():
        import sounddevice

        sounddevice._terminate()  # PortAudio lists devices once: make it look again
        sounddevice._initialize()
        yield


class SpeakerRecording:
    """What plays on the test's speaker, recorded from its monitor while the block runs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def __aenter__(self) -> SpeakerRecording:
        self._process = await asyncio.create_subprocess_exec(
            "parecord", "-d", f"{SPEAKER}.monitor", "--file-format=wav", str(self.path))
        await asyncio.sleep(0.3)  # the recorder is connected before anything plays
        return self

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




@pytest.mark.devices
async def test_the_lists_offer_the_default_first_and_mark_a_saved_device_not_connected(room):
    inputs = await sound_check.device_options("input", "USB headset", rescan=True)
    outputs = await sound_check.device_options("output", "")
    assert inputs[0].name == "" and inputs[0].label.startswith(messages.SYSTEM_DEFAULT)
    assert "default" not in [o.name for o in inputs]  # ALSA's alias for the default is "System default"
    assert inputs[-1].label == "USB headset (not connected)" and not inputs[-1].connected
    assert [o.name for o in outputs if o.name] and all(o.connected for o in outputs)


@pytest.mark.devices
async def test_the_test_sound_reaches_the_speaker(room, tmp_path):
    async with SpeakerRecording(tmp_path / "tone.wav") as heard:
        sentence = await sound_check.play_test_sound("")
    assert sentence == messages.TONE_PLAYED.format(name=messages.THE_DEFAULT_SPEAKER)
    assert 0.7 < heard.loud_seconds() < 1.3  # the one-second tone


@pytest.mark.devices
async def test_a_saved_speaker_not_connected_plays_on_the_default_and_says_so(room, tmp_path):
    async with SpeakerRecording(tmp_path / "tone.wav") as heard:
        sentence = await sound_check.play_test_sound("USB headset")
    assert sentence.startswith(audio_texts.DEVICE_NOT_FOUND.format(kind="speaker", name="USB headset"))
    assert heard.loud_seconds() > 0.7


@pytest.mark.devices
@pytest.mark.slow
async def test_the_microphone_test_hears_speech_and_plays_it_back(room, utterance_wavs, tmp_path):
    async with SpeakerRecording(tmp_path / "back.wav") as heard:
        speaking = await asyncio.create_subprocess_exec("paplay", "-d", MIC_SINK, str(utterance_wavs["hello"]))
        sentence = await sound_check.test_microphone("", "")
        await speaking.wait()
    assert "played them back" in sentence and "If you heard yourself" in sentence, sentence
    assert heard.loud_seconds() > 1.0  # the speech, played back (the monitor also hears nothing else)


@pytest.mark.devices
async def test_a_silent_microphone_is_said_plainly(room):
    with pytest.raises(SoundCheckFailed) as caught:
        await sound_check.test_microphone("", "", seconds=1.0)
    assert str(caught.value) == audio_texts.SILENT_RECORDING


@pytest.mark.devices
async def test_a_voice_sample_plays_on_the_chosen_speaker(room, tmp_path):
    async with SpeakerRecording(tmp_path / "voice.wav") as heard:
        await sound_check.play_sample(VoiceSample(spoken_pcm(1.0), 24_000), "")
    assert 0.7 < heard.loud_seconds() < 1.3


async def test_a_computer_without_a_microphone_or_speaker_gets_a_sentence_not_portaudio(monkeypatch):
    monkeypatch.setattr(device_list, "list_devices", lambda kind, rescan=False: [])  # a computer without any
    with pytest.raises(SoundCheckFailed) as no_mic:
        await sound_check.test_microphone("", "")
    with pytest.raises(SoundCheckFailed) as no_speaker:
        await sound_check.play_test_sound("")
    assert str(no_mic.value) == messages.NO_MICROPHONE and "-1" not in str(no_mic.value)
    assert str(no_speaker.value) == messages.NO_SPEAKER
    options = await sound_check.device_options("input", "USB headset")
    assert [o.label for o in options] == [messages.SYSTEM_DEFAULT, "USB headset (not connected)"]
