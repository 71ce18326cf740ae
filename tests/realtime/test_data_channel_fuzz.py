"""Fuzzing the client's data channel: whatever a server sends — GA events with wrong types,
non-finite numbers, deep nesting, huge strings, unknown ids, or raw byte garbage — nothing
escapes into aiortc's receive loop and the completed transcript is left as it was."""

import asyncio
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from therapy_desktop.realtime import server_events as ev
from therapy_desktop.realtime.connection import RealtimeConnection
from therapy_desktop.session.conversation import Conversation, ConversationActions

EVENT_TYPES = sorted(ev._REGISTRY) + sorted(ev.KNOWN_UNHANDLED) + ["made.up.event", "error"]
FIELDS = ["item_id", "previous_item_id", "item", "delta", "transcript", "text", "response", "response_id",
          "audio_start_ms", "audio_end_ms", "call_id", "name", "arguments", "error", "session", "content_index"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "x" * 300_000, "ghost_item", "u1", "resp_1"]),
)
json_values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(FIELDS + ["id", "type", "role", "content", "status"]),
                                                    children, max_size=5)), max_leaves=10)
items = st.fixed_dictionaries({"id": st.one_of(st.text(max_size=8), st.integers(), st.none()),
                               "type": st.sampled_from(["message", "function_call", 7, None]),
                               "role": st.sampled_from(["user", "assistant", "system", 3, None]),
                               "content": st.one_of(st.lists(st.dictionaries(st.sampled_from(["type", "text", "transcript"]),
                                                                             json_values, max_size=3), max_size=3), json_values)})
events = st.builds(
    lambda type_, fields: {"type": type_, **fields},
    st.sampled_from(EVENT_TYPES),
    st.dictionaries(st.sampled_from(FIELDS), st.one_of(json_values, items), max_size=6),
)


def _as_message(event) -> str:
    return json.dumps(event, allow_nan=True)  # NaN and Infinity as a careless server writes them


deep = st.integers(min_value=33, max_value=3000).map(lambda n: "[" * n + "]" * n)
messages = st.one_of(events.map(_as_message), st.binary(max_size=200), deep,
                     st.text(max_size=200), st.just('{"type":"input_audio_buffer.speech_stopped","audio_end_ms":1e999}'))


class Client:
    """The real connection's message handler feeding a real conversation."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.conversation = Conversation(ConversationActions(
            send=lambda e: None, flush_playback=lambda: None, remote_speaking_changed=lambda s: None, changed=lambda: None))
        self.connection = RealtimeConnection(on_event=self.conversation.apply, on_remote_audio=lambda t: None,
                                             on_lost=lambda e: None)
        t = self.conversation.transcript
        t.note_item("u1", role="user", previous_item_id=None, position_known=True)
        t.set_text("u1", "I have been feeling anxious.")
        t.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
        t.set_text("a1", "I hear you. What is on your mind?")
        self.before = [(i.item_id, i.text, i.status) for i in t.visible_items()]

    def deliver(self, message) -> None:
        async def deliver() -> None:
            self.connection.deliver(message)

        self.loop.run_until_complete(deliver())

    def completed(self):
        return [(i.item_id, i.text, i.status) for i in self.conversation.transcript.visible_items() if i.item_id in ("u1", "a1")]


CLIENT = Client()


# 10,000 messages, ten per example: the per-example cost of hypothesis, not the client, was most
# of this test's minute and a half.
@settings(max_examples=1_000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.lists(messages, min_size=10, max_size=10))
def test_no_message_raises_into_the_connection_or_changes_what_was_completed(batch):
    for message in batch:
        CLIENT.deliver(message)  # deliver() is what aiortc calls: it must never raise
        assert CLIENT.completed() == CLIENT.before


def test_the_fuzzed_conversation_still_orders_its_completed_items():
    order = [i.item_id for i in CLIENT.conversation.transcript.items()]
    assert order.index("u1") < order.index("a1")
