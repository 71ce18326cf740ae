"""The engine's side of the data channel under generated client events: nothing escapes into
aiortc's receive loop, every answer is a well-formed server event, and the session stays valid."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from therapy_desktop.engine.call import EngineCall
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.session_config import DEFAULT_SESSION
from therapy_desktop.engine.session_schema import SESSION

_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=10) | st.sampled_from(["realtime", "message", "user", "server_vad", "input_text"]))
json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid, valid, json_values)


# response.create is left out: it would synthesize speech, which this test does not need.
_types = st.sampled_from(["session.update", "conversation.item.create", "response.cancel", "output_audio_buffer.clear",
                          "input_audio_buffer.clear", "input_audio_buffer.commit", "conversation.item.truncate",
                          "response.create.x", "transcription_session.update"])
_sessions = st.fixed_dictionaries({"type": maybe(st.just("realtime"))}, optional={
    "instructions": maybe(st.text(max_size=40)),
    "audio": maybe(st.fixed_dictionaries({}, optional={
        "input": maybe(st.fixed_dictionaries({}, optional={"turn_detection": maybe(st.fixed_dictionaries(
            {"type": st.just("server_vad")}, optional={"silence_duration_ms": maybe(st.integers(0, 2000)),
                                                       "threshold": maybe(st.floats(0, 1))}))})),
        "output": maybe(st.fixed_dictionaries({}, optional={"voice": maybe(st.just("cedar")),
                                                            "speed": maybe(st.floats(0.25, 1.5))}))})),
    "tools": maybe(st.just([{"type": "function", "name": "f"}])),
})
_items = st.fixed_dictionaries({"type": maybe(st.sampled_from(["message", "function_call_output"]))}, optional={
    "id": maybe(st.text(min_size=1, max_size=10)), "role": maybe(st.sampled_from(["user", "assistant"])),
    "content": maybe(st.lists(st.fixed_dictionaries({"type": st.just("input_text"), "text": maybe(st.text(max_size=20))}),
                              max_size=2)),
    "call_id": json_values, "output": json_values,
})
events = st.fixed_dictionaries({"type": maybe(_types)}, optional={
    "event_id": json_values, "session": maybe(_sessions), "item": maybe(_items),
    "item_id": maybe(st.text(max_size=10)), "content_index": maybe(st.integers(-1, 2)),
    "audio_end_ms": maybe(st.integers(-10, 10_000))}).map(json.dumps)
messages = st.one_of(events, events, events, st.binary(max_size=100), st.text(max_size=100),
                     st.integers(1, 3000).map(lambda n: "{\"a\":" * n + "1" + "}" * n))


@pytest.fixture(scope="module")
def models():
    models = EngineModels()  # never loads: nothing here speaks
    yield models
    models.close()


@settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(messages, min_size=1, max_size=4))
async def test_no_client_event_escapes_and_the_session_stays_valid(models, batch):
    call = EngineCall("rtc_fuzz", copy.deepcopy(DEFAULT_SESSION), models, on_closed=lambda _: None, record_events=True)
    try:
        for message in batch:
            call._on_message(message)  # raising here is the bug: it would close the call
    finally:
        await call.close()
    for sent in call.sent_events:
        json.dumps(sent, allow_nan=False)  # each answer serializes as strict JSON
        assert isinstance(sent["type"], str)
        if sent["type"] == "error":
            assert sent["error"]["type"] == "invalid_request_error", sent
            assert isinstance(sent["error"]["message"], str) and sent["error"]["message"]
    SESSION(call.session, "session")  # whatever was accepted left a session every reader can trust
