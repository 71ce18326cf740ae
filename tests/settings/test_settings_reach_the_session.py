"""The Audio page's choices at the next Start: the devices by name (one no longer connected is
the default, with a sentence), the audio mode told to the service, and headless's own flags first."""

from __future__ import annotations

import argparse
import asyncio

import pytest

from tests.settings.sound_room import sound_room  # noqa: F401 - the fixture
from therapy_desktop.app import headless_audio_mode, new_session, parse_args, session_endpoints
from therapy_desktop.audio import texts as audio_texts
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.settings import Settings
from therapy_desktop.therapy import TherapyType


def test_the_chosen_devices_become_the_sessions_endpoints_and_a_file_wins_its_side(tmp_path):
    settings = Settings(input_device="USB headset", output_device="Speakers")
    endpoints = session_endpoints(settings)
    assert (endpoints.input_device, endpoints.output_device) == ("USB headset", "Speakers")
    assert endpoints.mic_wav is None and endpoints.speaker_wav is None
    assert session_endpoints(Settings()).input_device is None  # "" in the file is the system default
    mic = tmp_path / "mic.wav"
    assert session_endpoints(settings, mic_wav=mic).mic_wav == mic


def args(*argv: str) -> argparse.Namespace:
    return parse_args(["--headless", *argv])


def test_headless_takes_its_flag_first_then_the_setting_on_devices(tmp_path):
    speakers = Settings(audio_mode=AudioMode.SPEAKERS)
    assert headless_audio_mode(args("--audio-mode", "headphones"), speakers) is AudioMode.HEADPHONES
    assert headless_audio_mode(args(), speakers) is AudioMode.SPEAKERS
    assert headless_audio_mode(args(), Settings(audio_mode=AudioMode.PUSH_TO_TALK)) is AudioMode.HALF_DUPLEX


def test_a_file_microphone_run_stays_half_duplex_unless_told(utterance_wavs):
    speakers = Settings(audio_mode=AudioMode.SPEAKERS)
    file_run = args("--mic-wav", str(utterance_wavs["hello"]))
    assert headless_audio_mode(file_run, speakers) is AudioMode.HALF_DUPLEX
    told = args("--mic-wav", str(utterance_wavs["hello"]), "--audio-mode", "speakers")
    assert headless_audio_mode(told, Settings()) is AudioMode.SPEAKERS


def test_audio_mode_needs_headless_and_push_to_talk_is_refused(capsys):
    for argv in (["--audio-mode", "speakers"], ["--headless", "--audio-mode", "push_to_talk"]):
        with pytest.raises(SystemExit) as exited:
            parse_args(argv)
        assert exited.value.code == 2
    assert "--audio-mode" in capsys.readouterr().err


@pytest.mark.devices
@pytest.mark.slow
@pytest.mark.usefixtures("sound_room")
async def test_a_saved_microphone_not_connected_falls_back_with_a_sentence_and_the_mode_reaches_the_service(
        engine, demo_provider):
    settings = Settings(input_device="USB headset", audio_mode=AudioMode.HEADPHONES)
    session = new_session(TherapyType.ANXIETY, demo_provider, settings)
    notices: list[str] = []
    errors: list[str] = []
    session.audio.notice_did_occur.connect(notices.append)
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    try:
        assert session.state.is_in_call, errors
        assert notices[0] == audio_texts.DEVICE_NOT_FOUND.format(kind="microphone", name="USB headset")
        assert session.audio.mode is AudioMode.HEADPHONES
        call = next(iter(engine.calls.values()))
        for _ in range(50):
            updates = [e for e in call.received_events if e.get("type") == "session.update"]
            if any(u["session"].get("audio", {}).get("input", {}).get("turn_detection", {}).get("interrupt_response")
                   is False for u in updates):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"no session.update for headphones mode: {updates}")
    finally:
        await session.end()




def test_the_session_length_setting_is_the_sessions_limit(demo_provider):
    session = new_session(TherapyType.STRESS, demo_provider, Settings(session_minutes=75))
    assert session.timer.limits.max_minutes == 75
    assert new_session(TherapyType.STRESS, demo_provider, Settings()).timer.limits.max_minutes == 30
