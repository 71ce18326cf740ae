"""The Audio page's device work through real PortAudio devices: a private PulseAudio server whose
null sinks stand in for the sound card (as in tests/audio). What reaches the speaker is recorded
from its monitor; the microphone is fed by playing speech into the sink it listens to."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.audio_rig import MIC_SINK
from tests.settings.sound_room import SpeakerRecording, sound_room  # noqa: F401 - the fixture
from tests.settings.speech_server import spoken_pcm
from therapy_desktop.audio import device_list
from therapy_desktop.audio import texts as audio_texts
from therapy_desktop.realtime.voice_preview import VoiceSample
from therapy_desktop.settings import messages, sound_check
from therapy_desktop.settings.sound_check import SoundCheckFailed


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_the_lists_offer_the_default_first_and_mark_a_saved_device_not_connected():
    inputs = await sound_check.device_options("input", "USB headset", rescan=True)
    outputs = await sound_check.device_options("output", "")
    assert inputs[0].name == "" and inputs[0].label.startswith(messages.SYSTEM_DEFAULT)
    assert "default" not in [o.name for o in inputs]  # ALSA's alias for the default is "System default"
    assert inputs[-1].label == "USB headset (not connected)" and not inputs[-1].connected
    assert [o.name for o in outputs if o.name] and all(o.connected for o in outputs)


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_the_test_sound_reaches_the_speaker(tmp_path):
    async with SpeakerRecording(tmp_path / "tone.wav") as heard:
        sentence = await sound_check.play_test_sound("")
    assert sentence == messages.TONE_PLAYED.format(name=messages.THE_DEFAULT_SPEAKER)
    assert 0.7 < heard.loud_seconds() < 1.3  # the one-second tone


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_a_saved_speaker_not_connected_plays_on_the_default_and_says_so(tmp_path):
    async with SpeakerRecording(tmp_path / "tone.wav") as heard:
        sentence = await sound_check.play_test_sound("USB headset")
    assert sentence.startswith(audio_texts.DEVICE_NOT_FOUND.format(kind="speaker", name="USB headset"))
    assert heard.loud_seconds() > 0.7


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
@pytest.mark.slow
async def test_the_microphone_test_hears_speech_and_plays_it_back(utterance_wavs, tmp_path):
    async with SpeakerRecording(tmp_path / "back.wav") as heard:
        speaking = await asyncio.create_subprocess_exec("paplay", "-d", MIC_SINK, str(utterance_wavs["hello"]))
        sentence = await sound_check.test_microphone("", "")
        await speaking.wait()
    assert "played them back" in sentence and "If you heard yourself" in sentence, sentence
    assert heard.loud_seconds() > 1.0  # the speech, played back (the monitor also hears nothing else)


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_a_silent_microphone_is_said_plainly():
    with pytest.raises(SoundCheckFailed) as caught:
        await sound_check.test_microphone("", "", seconds=1.0)
    assert str(caught.value) == audio_texts.SILENT_RECORDING


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_a_voice_sample_plays_on_the_chosen_speaker(tmp_path):
    async with SpeakerRecording(tmp_path / "voice.wav") as heard:
        assert await sound_check.play_sample(VoiceSample(spoken_pcm(1.0), 24_000), "") is None
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


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
async def test_a_voice_sample_for_a_speaker_not_connected_plays_on_the_default_and_says_so(tmp_path):
    async with SpeakerRecording(tmp_path / "voice.wav") as heard:
        fallback = await sound_check.play_sample(VoiceSample(spoken_pcm(1.0), 24_000), "USB headset")
    assert fallback == audio_texts.DEVICE_NOT_FOUND.format(kind="speaker", name="USB headset")
    assert heard.loud_seconds() > 0.7
