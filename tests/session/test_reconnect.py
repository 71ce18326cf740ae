"""What a new call is told, and how often reconnecting is tried."""

import asyncio
import json
import random

import pytest

from tests.schema import assert_valid_client_event
from therapy_desktop.realtime.connection import MAX_MESSAGE_BYTES
from therapy_desktop.realtime.errors import AuthenticationFailed, NetworkUnreachable
from therapy_desktop.session.reconnect import RECENT_TURNS, ReconnectPolicy, call_with_backoff, restoration_events
from therapy_desktop.session.transcript import TranscriptItem


def _turns(n: int, length: int = 40) -> list[TranscriptItem]:
    return [TranscriptItem(f"i{k}", role="user" if k % 2 == 0 else "assistant", text=f"turn {k} " + "x" * length,
                           final=True, status="completed") for k in range(n)]


def test_a_new_call_gets_a_note_then_the_recent_turns_as_they_were_said():
    events, ids = restoration_events(_turns(30))
    items = [e["item"] for e in events]
    assert items[0]["role"] == "system" and "turn 0" in items[0]["content"][0]["text"]
    assert [i["content"][0]["text"].split()[1] for i in items[1:]] == [str(k) for k in range(30 - RECENT_TURNS, 30)]
    assert {i["id"] for i in items} == ids
    for event in events:
        assert_valid_client_event(event)
        assert len(json.dumps(event).encode()) < MAX_MESSAGE_BYTES


def test_a_very_long_conversation_still_fits_in_messages_the_channel_carries():
    events, _ = restoration_events(_turns(400, length=5000))
    assert all(len(json.dumps(e).encode()) < MAX_MESSAGE_BYTES for e in events)
    assert "more was said" in events[0]["item"]["content"][0]["text"]


def test_delays_start_at_once_then_grow_with_jitter_up_to_a_ceiling():
    policy = ReconnectPolicy(first_delay=0.25, factor=2, max_delay=8, jitter=0.3)
    delays = [d for _, d in zip(range(10), policy.delays(random.Random(1)), strict=False)]
    assert delays[0] == 0
    assert 0.25 * 0.7 <= delays[1] <= 0.25 * 1.3
    assert all(d <= 8 * 1.3 for d in delays) and delays[-1] >= 8 * 0.7


async def test_backoff_gives_up_after_its_budget_with_the_last_error():
    attempts = []

    async def attempt():
        attempts.append(1)
        raise NetworkUnreachable("down")

    with pytest.raises(NetworkUnreachable):
        await call_with_backoff(attempt, ReconnectPolicy(first_delay=0.01, max_delay=0.02, give_up_after=0.2))
    assert len(attempts) >= 3


async def test_an_error_that_retrying_cannot_fix_stops_at_once():
    attempts = []

    async def attempt():
        attempts.append(1)
        raise AuthenticationFailed("The key was not accepted.")

    with pytest.raises(AuthenticationFailed):
        await call_with_backoff(attempt, ReconnectPolicy(give_up_after=30))
    assert attempts == [1]


async def test_backoff_returns_the_first_success():
    outcomes = iter([NetworkUnreachable("down"), "call"])

    async def attempt():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await asyncio.wait_for(call_with_backoff(attempt, ReconnectPolicy(first_delay=0.01)), 5) == "call"
