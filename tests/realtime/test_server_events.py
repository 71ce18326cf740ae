import json

import pytest

from therapy_desktop.realtime import server_events as ev


def _msg(**fields):
    return json.dumps(fields)


def test_a_transcript_delta_becomes_a_typed_event():
    event = ev.parse_server_event(
        _msg(type="response.output_audio_transcript.delta", event_id="e1", response_id="r", item_id="i",
             output_index=0, content_index=0, delta="Hel")
    )
    assert event == ev.AssistantTranscriptDelta(item_id="i", delta="Hel", response_id="r", event_id="e1")


def test_items_keep_their_role_and_transcript():
    event = ev.parse_server_event(
        _msg(type="conversation.item.done", event_id="e", previous_item_id="p",
             item={"id": "a", "type": "message", "role": "assistant", "status": "completed",
                   "content": [{"type": "output_audio", "transcript": "Hi there"}]})
    )
    assert isinstance(event, ev.ItemDone)
    assert event.item.role == "assistant" and event.item.text == "Hi there"
    assert event.previous_item_id == "p" and event.position_known


def test_an_item_without_previous_item_id_has_no_known_position():
    event = ev.parse_server_event(_msg(type="conversation.item.added", item={"id": "a", "type": "message"}))
    assert not event.position_known


def test_a_null_previous_item_id_means_first_in_the_conversation():
    event = ev.parse_server_event(_msg(type="input_audio_buffer.committed", item_id="u", previous_item_id=None))
    assert event.position_known and event.previous_item_id is None


def test_function_call_arguments_done_carries_the_call():
    event = ev.parse_server_event(
        _msg(type="response.function_call_arguments.done", event_id="e", response_id="r", item_id="i",
             output_index=0, call_id="call_1", name="breathing_exercise", arguments='{"pattern":"box"}')
    )
    assert isinstance(event, ev.FunctionCallArgumentsDone)
    assert (event.call_id, event.name, event.response_id) == ("call_1", "breathing_exercise", "r")


def test_error_events_expose_the_message():
    event = ev.parse_server_event(_msg(type="error", event_id="e", error={"type": "invalid_request_error", "message": "Bad", "code": "x"}))
    assert isinstance(event, ev.ServerError) and event.message == "Bad" and event.code == "x"


def test_known_events_we_do_not_act_on_are_not_unknown():
    assert isinstance(ev.parse_server_event(_msg(type="response.content_part.added", part={})), ev.OtherEvent)


def test_unknown_and_beta_event_types_are_reported_as_unknown():
    assert isinstance(ev.parse_server_event(_msg(type="response.audio_transcript.delta", delta="x")), ev.UnknownEvent)
    assert isinstance(ev.parse_server_event(_msg(type="something.new")), ev.UnknownEvent)


def test_extra_fields_from_a_newer_server_are_ignored():
    event = ev.parse_server_event(_msg(type="output_audio_buffer.started", response_id="r", future_field=1))
    assert event == ev.OutputAudioStarted(response_id="r")


@pytest.mark.parametrize(
    "message",
    [
        "not json",
        b"\xff\xfe",
        "[1, 2]",
        _msg(no_type=True),
        _msg(type="response.done"),
        _msg(type="input_audio_buffer.speech_started", item_id=5),
        _msg(type="conversation.item.added", item={"type": "message"}),
    ],
)
def test_malformed_messages_raise_malformed_event(message):
    with pytest.raises(ev.MalformedEvent):
        ev.parse_server_event(message)
