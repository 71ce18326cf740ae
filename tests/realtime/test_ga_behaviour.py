"""Newer GA behaviour: several assistant messages in one response (a preamble, then the answer, as
the 2.x models send them) and `rate_limits.updated` as a typed event."""

import json

from tests.schema import assert_valid_server_event
from tests.session.test_session_events import live, user_turn  # noqa: F401 - the fixture
from therapy_desktop.realtime.server_events import RateLimit, RateLimitsUpdated, read_server_event

RATE_LIMITS = {"type": "rate_limits.updated", "event_id": "rl1", "rate_limits": [
    {"name": "requests", "limit": 1000, "remaining": 999, "reset_seconds": 0.06},
    {"name": "tokens", "limit": 40000, "remaining": 38211, "reset_seconds": 2.68},
]}


def _message(response: str, item: str, index: int, previous: str, words: list[str]) -> list[dict]:
    where = {"response_id": response, "item_id": item, "output_index": index, "content_index": 0}
    added = {"id": item, "type": "message", "role": "assistant", "status": "in_progress", "content": []}
    return [
        {"type": "response.output_item.added", "event_id": f"{item}a", "response_id": response, "output_index": index, "item": added},
        {"type": "conversation.item.added", "event_id": f"{item}b", "previous_item_id": previous, "item": added},
        *({"type": "response.output_audio_transcript.delta", "event_id": f"{item}d{n}", **where, "delta": w}
          for n, w in enumerate(words)),
        {"type": "response.output_audio_transcript.done", "event_id": f"{item}c", **where, "transcript": "".join(words)},
        {"type": "response.output_item.done", "event_id": f"{item}e", "response_id": response, "output_index": index,
         "item": {**added, "status": "completed",
                  "content": [{"type": "output_audio", "transcript": "".join(words)}]}},
    ]


def test_rate_limits_become_a_typed_event_that_matches_the_ga_schema():
    assert_valid_server_event(RATE_LIMITS)
    event = read_server_event(json.dumps(RATE_LIMITS))
    assert isinstance(event, RateLimitsUpdated)
    assert event.limits() == [RateLimit("requests", 1000, 999, 0.06), RateLimit("tokens", 40000, 38211, 2.68)]


def test_malformed_rate_limit_entries_are_left_out_not_fatal():
    event = read_server_event(json.dumps({"type": "rate_limits.updated", "rate_limits": [
        {"name": "tokens", "limit": -3, "remaining": True, "reset_seconds": "soon"}, "junk", {"limit": 4}]}))
    assert isinstance(event, RateLimitsUpdated)
    assert event.limits() == [RateLimit("tokens", None, None, None)]


async def test_two_assistant_messages_in_one_response_are_two_bubbles_in_order(live):  # noqa: F811
    session, server, errors, _ = live
    server.deliver(*user_turn())
    events = [
        {"type": "response.created", "event_id": "r0", "response": {"id": "r1", "status": "in_progress", "output": []}},
        {"type": "output_audio_buffer.started", "event_id": "ob", "response_id": "r1"},
        *_message("r1", "a1", 0, "u1", ["Let me", " think about that."]),
        RATE_LIMITS,
        *_message("r1", "a2", 1, "a1", ["It sounds", " like work", " weighs on you."]),
        {"type": "response.done", "event_id": "rd", "response": {"id": "r1", "status": "completed", "output": []}},
        {"type": "output_audio_buffer.stopped", "event_id": "os", "response_id": "r1"},
    ]
    for event in events:
        assert_valid_server_event(event)
    server.deliver(*events)
    assistant = [(i.item_id, i.text) for i in session.transcript.visible_items() if i.role == "assistant"]
    assert assistant == [("a1", "Let me think about that."), ("a2", "It sounds like work weighs on you.")]
    assert errors == []
