import pytest

from therapy_desktop.engine.session_config import DEFAULT_SESSION, SessionConfigError, merge_session
from therapy_desktop.realtime.session_config import SessionConfig


def test_our_client_session_merges_cleanly():
    merged = merge_session(DEFAULT_SESSION, SessionConfig(instructions="Be kind.").to_session(), creating=True)
    assert merged["instructions"] == "Be kind."
    turn = merged["audio"]["input"]["turn_detection"]
    assert turn["silence_duration_ms"] == 500 and turn["create_response"] is True


@pytest.mark.parametrize(
    ("update", "param"),
    [
        ({"instructions": "x"}, "session.type"),
        ({"type": "realtime", "voice": "alloy"}, "session.voice"),
        ({"type": "realtime", "input_audio_transcription": {}}, "session.input_audio_transcription"),
        ({"type": "realtime", "temperature": 0.8}, "session.temperature"),
        ({"type": "realtime", "audio": {"input": {"vad": {}}}}, "session.audio.input.vad"),
        ({"type": "realtime", "model": "gpt-4o-realtime-preview-2024-12-17"}, "session.model"),
        ({"type": "realtime", "audio": {"output": {"voice": "robot"}}}, "session.audio.output.voice"),
    ],
)
def test_beta_shapes_and_unknown_fields_are_rejected_like_the_service_does(update, param):
    with pytest.raises(SessionConfigError) as caught:
        merge_session(DEFAULT_SESSION, update, creating=True)
    assert caught.value.param == param


def test_the_model_cannot_change_on_a_live_session():
    with pytest.raises(SessionConfigError):
        merge_session(DEFAULT_SESSION, {"type": "realtime", "model": "gpt-realtime-mini"})
