"""Drops and renewals against the local engine over real aiortc loopback: the session comes back
on its own with the conversation (and the model's memory of it) intact."""

import asyncio
import random

import numpy as np
import pytest

from tests.conftest import conversation_wav, wav_endpoints
from tests.waiting import wait_until
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.session.reconnect import ReconnectPolicy
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType

pytestmark = pytest.mark.slow


def _user_texts(session):
    return [i.text for i in session.transcript.visible_items() if i.role == "user" and i.text]


def _live_call(engine, session):
    return engine.calls[session.calls.call.call_id]


def _restored_texts(call) -> list[str]:
    return [part.get("text", "") for e in call.received_events if e.get("type") == "conversation.item.create"
            and e["item"].get("type") == "message" for part in e["item"]["content"]]


async def _renewed(session, renewals, count: int, timeout: float = 30.0) -> None:
    # A bound for a stuck renewal, not a speed target: how fast recovery is lives in
    # `python -m benchmarks.reconnect` (tests assert no times).
    await wait_until(lambda: len(renewals) >= count and session.state.is_in_call, timeout, f"renewal {count}")


async def test_a_call_dropped_after_the_second_turn_comes_back_and_carries_on(engine, demo_provider, utterance_wavs,
                                                                              tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0),
                                                   (utterance_wavs["breathing"], 8.0), (utterance_wavs["goodbye"], 8.0)])
    session = TherapySession(TherapyType.ANXIETY, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    renewals, errors = [], []
    session.events.call_did_renew.connect(renewals.append)
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    await wait_until(lambda: len(_user_texts(session)) >= 2, 40, "two user turns")
    first_call = _live_call(engine, session)

    await first_call.close()  # the service side ends the call
    await _renewed(session, renewals, 1)
    assert renewals[0].previous_call_id == first_call.id
    # The earlier turns went to the new call (the data channel delivers them just after it opens).
    new_call = _live_call(engine, session)
    await wait_until(lambda: all(word in " ".join(_restored_texts(new_call)).lower() for word in ("anxious", "breathing")),
                     30, "the earlier turns restored")  # a bound for a stuck restore (a loaded machine takes seconds)

    await asyncio.wait_for(session.wait_ended(), 60)  # goodbye → summary → the session ends itself
    users = _user_texts(session)
    assert len(users) == 3 and "goodbye" in users[-1].lower()
    ids = [i.item_id for i in session.transcript.visible_items()]
    assert len(ids) == len(set(ids))
    assert session.outcome.reason == "summary" and errors == []
    assert [c.call_id for c in session.calls.calls] == [first_call.id, renewals[0].call_id]


async def test_ten_drops_in_a_row_at_random_moments_lose_and_duplicate_nothing(engine, demo_provider, tmp_path):
    mic = tmp_path / "silence.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE * 120, dtype=np.int16), SAMPLE_RATE)
    session = TherapySession(TherapyType.STRESS, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    renewals = []
    session.events.call_did_renew.connect(renewals.append)
    await session.start()
    rng = random.Random(7)
    for n in range(10):
        session.send_text(f"Message number {n}: work has been a lot this week.")
        await wait_until(lambda n=n: len(_user_texts(session)) == n + 1, 10, f"typed message {n} shown")
        await asyncio.sleep(rng.uniform(0.0, 1.5))  # sometimes mid-reply, sometimes after it
        await _live_call(engine, session).close()
        await _renewed(session, renewals, n + 1)
    users = _user_texts(session)
    assert users == [f"Message number {n}: work has been a lot this week." for n in range(10)]
    ids = [i.item_id for i in session.transcript.visible_items()]
    assert len(ids) == len(set(ids))
    await session.end()


async def test_session_expired_and_a_proactive_renewal_are_crossed_the_same_way(engine, demo_provider, tmp_path):
    mic = tmp_path / "silence.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE * 60, dtype=np.int16), SAMPLE_RATE)
    # A short configured cap: renew at the first pause 1 s into each call.
    policy = ReconnectPolicy(call_cap=3.0, renew_margin=2.0)
    session = TherapySession(TherapyType.GENERAL, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"),
                             reconnect=policy)
    renewals = []
    session.events.call_did_renew.connect(renewals.append)
    await session.start()
    session.send_text("I have been sleeping badly.")
    await _renewed(session, renewals, 1, timeout=15)
    assert renewals[0].cause == "renewal"
    session.calls.policy = ReconnectPolicy()  # no more proactive renewals
    session.calls.watchdog.renew_after = None
    await _live_call(engine, session).expire()
    await _renewed(session, renewals, 2)
    assert renewals[1].cause == "session_expired"
    assert _user_texts(session) == ["I have been sleeping badly."]
    # The restored turns travel over the new call's data channel: they reach the engine a moment later.
    await wait_until(lambda: "sleeping badly" in " ".join(_restored_texts(_live_call(engine, session))), 30,
                     "the earlier turn restored in the new call")
    assert session.state is not SessionState.ERROR
    await session.end()
