"""Preview voice against a real HTTP server on loopback that answers OpenAI's speech endpoint:
the request's shape, each failure's sentence, and the key nowhere but in its one request."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from tests.settings.speech_server import RATE, speech_server
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.errors import AuthenticationFailed, CredentialsMissing, NetworkUnreachable, RateLimited, ServiceRequestFailed
from therapy_desktop.realtime.voice_preview import SPEECH_MODEL, SPEECH_VOICES, VoiceSample, has_preview
from therapy_desktop.realtime.session_config import voices
from therapy_desktop.settings import Settings, messages
from therapy_desktop.settings.voice_preview import PreviewUnavailable, voice_preview

KEY = "sk-test-preview-never-shown-0123456789"


async def no_demo(text: str) -> VoiceSample:
    raise AssertionError("the Demo voice must not be used outside Demo mode")


def mode_is(mode: ConnectMode):
    async def resolve(setting: ConnectMode | None) -> ConnectMode:
        return mode

    return resolve


async def preview(base_url: str, *, voice: str = "cedar", key: str | None = KEY, mode: ConnectMode = ConnectMode.OPENAI):
    settings = Settings(mode=mode, voice=voice, speed=1.1, openai_base_url=base_url)
    return await voice_preview(settings, key, demo_voice=no_demo, mode_for=mode_is(mode))


def assert_clean(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    for text in (str(exc), getattr(exc, "detail", ""), caplog.text):
        assert KEY not in text and "sk-test-preview" not in text


def test_every_realtime_voice_has_a_preview():
    assert set(voices()) <= SPEECH_VOICES
    assert has_preview("marin") and has_preview("cedar") and not has_preview("a-voice-from-2028")


async def test_the_sample_is_the_voice_speaking_the_sentence_in_pcm(caplog):
    caplog.set_level(logging.DEBUG)
    async with speech_server() as server:
        result = await preview(server.base_url)
    request = server.requests[0]
    assert request["method"] == "POST" and request["path"] == "/v1/audio/speech"
    assert request["authorization"] == f"Bearer {KEY}"
    assert request["json"] == {"model": SPEECH_MODEL, "voice": "cedar", "input": messages.PREVIEW_SENTENCE,
                               "response_format": "pcm", "speed": 1.1}
    assert result.sample.rate == RATE and abs(result.sample.seconds - 1.0) < 0.01
    pcm = np.frombuffer(result.sample.pcm, dtype="<i2")
    assert np.abs(pcm).max() > 5000  # the audio as sent, not silence
    assert result.sentence == messages.PREVIEW_PLAYED.format(voice="Cedar")
    assert KEY not in caplog.text


@pytest.mark.parametrize(
    ("answer", "kind", "sentence"),
    [
        ("401", AuthenticationFailed, "Your OpenAI API key was not accepted: it may be mistyped, revoked or expired."),
        ("429", RateLimited, "OpenAI is receiving too many requests from your account right now. Try again in 20 seconds."),
        ("500", ServiceRequestFailed, "is having a problem of its own. This is usually brief"),
        ("404", ServiceRequestFailed, f"does not offer the voice preview (its speech model {SPEECH_MODEL} was not found"),
        ("html", ServiceRequestFailed, "did not send back playable audio for the preview"),
        ("odd", ServiceRequestFailed, "did not send back playable audio for the preview"),
        ("empty", ServiceRequestFailed, "did not send back playable audio for the preview"),
    ],
)
async def test_each_failure_is_a_sentence_with_a_detail_line(answer, kind, sentence, caplog):
    caplog.set_level(logging.DEBUG)
    async with speech_server() as server:
        server.answer = answer
        with pytest.raises(kind) as caught:
            await preview(server.base_url)
    assert sentence in str(caught.value)
    assert "127.0.0.1" in caught.value.detail
    assert_clean(caught.value, caplog)
    assert len(server.requests) == 1  # a preview is not retried: the person presses again


async def test_nothing_listening_is_said_plainly(unused_tcp_port, caplog):
    with pytest.raises(NetworkUnreachable) as caught:
        await preview(f"http://127.0.0.1:{unused_tcp_port}/v1")
    assert "Nothing is answering at 127.0.0.1" in str(caught.value)
    assert_clean(caught.value, caplog)


async def test_without_a_key_the_person_is_told_where_to_put_one(memory_keyring):
    async with speech_server() as server:
        with pytest.raises(CredentialsMissing) as caught:
            await preview(server.base_url, key=None)
    assert "No OpenAI API key is set" in str(caught.value) and not server.requests


async def test_the_saved_key_is_used_when_none_is_typed(memory_keyring):
    memory_keyring.set_password("therapy-desktop", "openai-api-key", KEY)
    async with speech_server() as server:
        await preview(server.base_url, key=None)
    assert server.requests[0]["authorization"] == f"Bearer {KEY}"


async def test_a_voice_without_a_sample_and_clinic_mode_say_so_without_a_request():
    async with speech_server() as server:
        with pytest.raises(PreviewUnavailable) as unknown:
            await preview(server.base_url, voice="a-voice-from-2028")
        with pytest.raises(PreviewUnavailable) as clinic:
            await preview(server.base_url, mode=ConnectMode.BACKEND)
    assert str(unknown.value) == messages.PREVIEW_NO_SAMPLE.format(voice="A-voice-from-2028")
    assert str(clinic.value) == messages.PREVIEW_NOT_IN_CLINIC_MODE
    assert not server.requests


async def test_demo_mode_plays_the_demo_voice_and_never_the_network():
    spoken: list[str] = []

    async def demo_voice(text: str) -> VoiceSample:
        spoken.append(text)
        return VoiceSample(b"\x01\x00" * 4800, 48_000)

    settings = Settings(mode=ConnectMode.DEMO, openai_base_url="http://127.0.0.1:9/v1")  # nothing there
    result = await voice_preview(settings, KEY, demo_voice=demo_voice, mode_for=mode_is(ConnectMode.DEMO))
    assert spoken == [messages.PREVIEW_SENTENCE] and result.sample.rate == 48_000
    assert result.sentence == messages.PREVIEW_DEMO_PLAYED
