"""A turn the engine drops (not speech) still ends its response the way the service does: a
completed response with no output, every event valid against the GA schema."""

from __future__ import annotations

from tests.schema import assert_valid_server_event
from therapy_desktop.engine.responses import EngineResponse, ResponseContext
from therapy_desktop.engine.voice_track import VoiceTrack


async def _nothing() -> None:
    return None


async def test_a_dropped_turn_completes_its_response_with_no_output():
    sent: list[dict] = []
    context = ResponseContext(send=sent.append, track=VoiceTrack(), models=None, voice="marin",  # type: ignore[arg-type]
                              previous_item_id=lambda: None, item_added=lambda _: None, tool_called=lambda *_: None)
    response = EngineResponse(context)
    await response.run(_nothing())
    assert [e["type"] for e in sent] == ["response.created", "response.done"]
    assert sent[-1]["response"]["status"] == "completed" and sent[-1]["response"]["output"] == []
    assert response.first_audio.is_set()  # the transcript is not held back waiting for audio
    for event in sent:
        assert_valid_server_event(event)
