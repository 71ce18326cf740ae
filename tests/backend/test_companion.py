"""What the backend tells the model: its own copy, kept equal to the desktop's tool schemas."""

from __future__ import annotations

import pytest

from therapy_desktop.backend.companion import TherapyType, instructions, realtime_session, tools
from therapy_desktop.therapy import TherapyType as DesktopTherapyType
from therapy_desktop.therapy.tools import tool_definitions


def test_tool_schemas_are_the_desktops() -> None:
    assert tools() == tool_definitions()


def test_therapy_types_are_the_desktops() -> None:
    assert {t.value for t in TherapyType} == {t.value for t in DesktopTherapyType}


@pytest.mark.parametrize("kind", list(TherapyType))
def test_instructions_present_an_ai_companion_with_crisis_resources(kind: TherapyType) -> None:
    text = instructions(kind)
    assert "You are an AI" in text and "never claim or imply to be a human" in text
    assert "licensed therapist" in text and "988" in text and "116 123" in text
    assert kind.value in text


def test_the_session_is_the_ga_shape() -> None:
    session = realtime_session(TherapyType.STRESS, model="gpt-realtime", voice="cedar",
                               transcription_model="gpt-4o-mini-transcribe")
    assert session["type"] == "realtime" and session["model"] == "gpt-realtime"
    assert session["audio"]["output"] == {"voice": "cedar"}
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert session["audio"]["input"]["noise_reduction"] == {"type": "far_field"}
    assert session["tools"] == tools() and session["tool_choice"] == "auto"
