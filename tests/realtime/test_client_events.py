"""Every client event the app sends validates against the SDK's GA models with no unknown field."""

import json

import pytest
from openai.types.realtime import RealtimeSessionCreateRequest

from tests.schema import assert_valid_client_event, unknown_fields
from therapy_desktop.realtime import client_events
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.therapy import TherapyType, build_instructions, tool_definitions


def _config(therapy: TherapyType) -> SessionConfig:
    return SessionConfig(instructions=build_instructions(therapy), tools=tool_definitions())


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_session_update_is_ga_shaped(therapy):
    event = client_events.session_update(_config(therapy))
    assert_valid_client_event(event)
    session = event["session"]
    assert session["type"] == "realtime"
    assert session["audio"]["input"]["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 500,
    }
    assert session["audio"]["input"]["transcription"]["model"]
    assert session["audio"]["output"]["voice"] == "marin"
    assert {t["name"] for t in session["tools"]} == {"breathing_exercise", "end_session_summary", "flag_safety_concern",
                                                   "grounding_exercise"}
    for beta_field in ("voice", "input_audio_format", "input_audio_transcription", "turn_detection", "temperature"):
        assert beta_field not in session


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_session_update_fits_in_one_data_channel_message(therapy):
    assert len(json.dumps(client_events.session_update(_config(therapy))).encode()) < 64 * 1024


def test_the_session_sent_to_client_secrets_is_a_valid_create_request():
    session = _config(TherapyType.ANXIETY).to_session()
    model = RealtimeSessionCreateRequest.model_validate(session)
    assert unknown_fields(model) == []
    assert session["model"] == "gpt-realtime-2.1"  # the newest full GA model of the SDK


@pytest.mark.parametrize(
    "event",
    [
        client_events.function_call_output("call_123", json.dumps({"ok": True})),
        client_events.response_create(),
        client_events.response_cancel(),
        client_events.output_audio_buffer_clear(),
    ],
    ids=lambda e: e["type"],
)
def test_other_client_events_are_ga_shaped(event):
    assert_valid_client_event(event)


def test_event_ids_are_unique():
    ids = {client_events.response_create()["event_id"] for _ in range(50)}
    assert len(ids) == 50
