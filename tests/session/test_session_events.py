"""The session against a scripted GA server: event variations the real service produces
(late transcriptions, extra fields, unknown and malformed events, errors, barge-in, drops),
so nothing in the client depends on how our own engine happens to behave."""

import numpy as np
import pytest

from tests.fakes import FakeConnection, FakeKeyProvider
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.realtime.errors import ConnectionLost
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType
from tests.waiting import wait_until


@pytest.fixture
async def live(tmp_path):
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    session = TherapySession(
        TherapyType.GENERAL,
        FakeKeyProvider(),
        AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "out.wav"),
        connection_factory=FakeConnection,
    )
    errors, states = [], []
    session.events.error_did_occur.connect(errors.append)
    session.events.state_did_change.connect(states.append)
    await session.start()
    assert session.state is SessionState.LISTENING
    yield session, FakeConnection.last, errors, states
    await session.end()


def user_turn(item="u1", previous=None):
    return [
        {"type": "input_audio_buffer.speech_started", "event_id": "e1", "audio_start_ms": 100, "item_id": item},
        {"type": "input_audio_buffer.speech_stopped", "event_id": "e2", "audio_end_ms": 900, "item_id": item},
        {"type": "input_audio_buffer.committed", "event_id": "e3", "item_id": item, "previous_item_id": previous},
        {"type": "conversation.item.added", "event_id": "e4", "previous_item_id": previous,
         "item": {"id": item, "type": "message", "role": "user", "status": "completed", "object": "realtime.item",
                  "content": [{"type": "input_audio", "transcript": None}]}},
    ]


def spoken_reply(item="a1", response="r1", previous="u1", words=("I hear", " you.")):
    where = {"response_id": response, "item_id": item, "output_index": 0, "content_index": 0}
    start = [
        {"type": "response.created", "event_id": "e5", "response": {"id": response, "status": "in_progress", "output": []}},
        {"type": "response.output_item.added", "event_id": "e6", "response_id": response, "output_index": 0,
         "item": {"id": item, "type": "message", "role": "assistant", "status": "in_progress", "content": []}},
        {"type": "conversation.item.added", "event_id": "e7", "previous_item_id": previous,
         "item": {"id": item, "type": "message", "role": "assistant", "status": "in_progress", "content": []}},
        {"type": "output_audio_buffer.started", "event_id": "e8", "response_id": response},
    ]
    deltas = [{"type": "response.output_audio_transcript.delta", "event_id": "e9", **where, "delta": w} for w in words]
    end = [
        {"type": "response.output_audio_transcript.done", "event_id": "e10", **where, "transcript": "".join(words)},
        {"type": "response.done", "event_id": "e11", "response": {"id": response, "status": "completed", "output": [],
                                                                 "usage": {"total_tokens": 10}}},
        {"type": "output_audio_buffer.stopped", "event_id": "e12", "response_id": response},
    ]
    return start, deltas, end


async def test_a_real_service_turn_with_a_late_transcription(live):
    session, server, errors, states = live
    server.deliver(*user_turn())
    assert session.state is SessionState.THINKING
    start, deltas, end = spoken_reply()
    server.deliver(*start, deltas[0])
    assert session.state is SessionState.THERAPIST_SPEAKING
    server.deliver({"type": "conversation.item.input_audio_transcription.completed", "event_id": "t", "item_id": "u1",
                    "content_index": 0, "transcript": " I feel tense. ", "usage": {"type": "duration", "seconds": 1}})
    server.deliver(*deltas[1:], {"type": "rate_limits.updated", "event_id": "rl", "rate_limits": []}, *end)
    items = session.transcript.visible_items()
    assert [(i.role, i.text) for i in items] == [("user", "I feel tense."), ("assistant", "I hear you.")]
    assert session.state is SessionState.LISTENING
    assert errors == []
    assert SessionState.USER_SPEAKING in states


async def test_unknown_and_malformed_events_are_skipped_and_the_session_goes_on(live):
    session, server, errors, _ = live
    server.deliver({"type": "response.some_future_event", "x": 1}, "{not json", '{"type": "response.done"}')
    assert session.state is SessionState.LISTENING
    assert errors == ["The service sent a message the app could not read; it was skipped."]
    server.deliver(*user_turn())
    assert session.transcript.get("u1") is not None


async def test_error_events_reach_the_person_and_the_session_stays_open(live):
    session, server, errors, _ = live
    server.deliver({"type": "error", "event_id": "e", "error": {"type": "invalid_request_error", "code": "x",
                                                                "message": "Unknown parameter: 'session.foo'."}})
    assert errors == ["The realtime service reported: Unknown parameter: 'session.foo'."]
    assert session.state is SessionState.LISTENING


async def test_function_calls_are_answered_after_their_response_is_done(live):
    session, server, errors, _ = live
    tools = []
    session.events.tool_did_run.connect(tools.append)
    server.deliver(*user_turn())
    server.deliver(
        {"type": "response.created", "event_id": "a", "response": {"id": "r2", "status": "in_progress"}},
        {"type": "response.output_item.added", "event_id": "b", "response_id": "r2", "output_index": 0,
         "item": {"id": "f1", "type": "function_call", "call_id": "call_9", "name": "breathing_exercise", "arguments": ""}},
        {"type": "response.function_call_arguments.done", "event_id": "c", "response_id": "r2", "item_id": "f1",
         "output_index": 0, "call_id": "call_9", "name": "breathing_exercise", "arguments": '{"pattern":"box","cycles":3}'},
    )
    assert "conversation.item.create" not in server.sent_types()  # not while the response is active
    server.deliver({"type": "response.done", "event_id": "d", "response": {"id": "r2", "status": "completed"}})
    output, create = server.sent[-2:]
    assert output["type"] == "conversation.item.create"
    assert output["item"]["type"] == "function_call_output" and output["item"]["call_id"] == "call_9"
    assert create["type"] == "response.create"
    assert tools[0].effect.cycles == 3
    assert session.state is SessionState.THINKING  # waiting for the model to go on


async def test_a_cancelled_response_marks_the_reply_interrupted(live):
    session, server, _, _ = live
    server.deliver(*user_turn())
    start, deltas, _ = spoken_reply()
    server.deliver(*start, deltas[0])
    server.deliver(
        {"type": "input_audio_buffer.speech_started", "event_id": "s", "audio_start_ms": 5000, "item_id": "u2"},
        {"type": "output_audio_buffer.cleared", "event_id": "c", "response_id": "r1"},
        {"type": "response.done", "event_id": "d", "response": {"id": "r1", "status": "cancelled",
                                                               "output": [{"id": "a1", "type": "message"}]}},
    )
    assert session.transcript.get("a1").status == "interrupted"
    assert session.state is SessionState.USER_SPEAKING


async def test_the_summary_tool_ends_the_session_after_the_goodbye(live):
    session, server, _, _ = live
    server.deliver(
        {"type": "response.created", "event_id": "a", "response": {"id": "r3", "status": "in_progress"}},
        {"type": "response.function_call_arguments.done", "event_id": "c", "response_id": "r3", "item_id": "f2",
         "output_index": 0, "call_id": "call_s", "name": "end_session_summary", "arguments": '{"summary":"We talked."}'},
        {"type": "response.done", "event_id": "d", "response": {"id": "r3", "status": "completed"}},
    )
    start, deltas, end = spoken_reply(item="a9", response="r4", previous="o1", words=("Goodbye.",))
    server.deliver(*start, *deltas, *end)
    outcome = await session.wait_ended()
    assert outcome.reason == "summary" and outcome.summary.summary == "We talked."


async def test_a_dropped_connection_reconnects_with_the_conversation_restored(live):
    session, server, errors, states = live
    server.deliver(*user_turn())
    server.deliver({"type": "conversation.item.input_audio_transcription.completed", "event_id": "t", "item_id": "u1",
                    "content_index": 0, "transcript": "Hello", "usage": {"type": "duration", "seconds": 1}})
    server.on_lost(ConnectionLost("The voice connection was lost."))
    await wait_until(lambda: FakeConnection.last is not server and session.state is SessionState.LISTENING, 5, "renewed")
    new = FakeConnection.last
    assert SessionState.RECONNECTING in states and server.closed
    created = [e["item"] for e in new.sent if e["type"] == "conversation.item.create"]
    assert created[0]["role"] == "system"  # what came before, and that nothing is to start over
    assert [(i["role"], i["content"][0]["text"]) for i in created[1:]] == [("user", "Hello")]
    # The server echoes the restored items: they must not show up as new bubbles.
    for item in created:
        new.deliver({"type": "conversation.item.added", "event_id": "x", "previous_item_id": None,
                     "item": {**item, "object": "realtime.item", "status": "completed"}})
    assert [(i.role, i.text) for i in session.transcript.visible_items()] == [("user", "Hello")]
    assert [c.call_id for c in session.calls.calls] == ["rtc_fake", "rtc_fake"]
    assert not errors


async def test_session_expired_renews_the_call_instead_of_showing_an_error(live):
    session, server, errors, _ = live
    server.deliver({"type": "error", "event_id": "e", "error": {"type": "invalid_request_error", "code": "session_expired",
                    "message": "Your session hit the maximum duration of 60 minutes.", "param": None, "event_id": None}})
    await wait_until(lambda: FakeConnection.last is not server and session.state is SessionState.LISTENING, 5, "renewed")
    assert not errors and len(session.calls.calls) == 2


async def test_a_message_typed_while_a_reply_streams_is_answered_after_it_never_refused(live):
    """The service refuses a second response.create while one is active; the client waits for
    the first to be done instead of showing the person that refusal."""
    session, server, errors, _ = live
    server.deliver(*user_turn())
    start, deltas, end = spoken_reply()
    server.deliver(*start, *deltas)
    creates_before = server.sent_types().count("response.create")
    session.send_text("Sorry, one more thing.")
    assert server.sent[-1]["type"] == "conversation.item.create"  # the words go at once
    assert server.sent_types().count("response.create") == creates_before  # the reply is asked for later
    server.deliver(*end)
    assert server.sent_types().count("response.create") == creates_before + 1
    assert server.sent[-1]["type"] == "response.create"
    assert session.state is SessionState.THINKING  # the person sees the answer is on its way
    assert errors == []


async def test_a_message_typed_at_a_quiet_moment_is_answered_at_once(live):
    session, server, errors, _ = live
    session.send_text("Hello there.")
    assert server.sent_types()[-2:] == ["conversation.item.create", "response.create"]
    assert errors == []
