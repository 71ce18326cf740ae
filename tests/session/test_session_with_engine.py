"""A whole voice session, client ⇄ local engine over real aiortc loopback, with real speech."""

import asyncio
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import wav_endpoints
from tests.schema import assert_valid_client_event, assert_valid_server_event
from therapy_desktop.realtime.keys import DemoKeyProvider, LocalEndpoint
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import BreathingExercise, SessionSummary, TherapyType

pytestmark = pytest.mark.slow


async def _run_until_ended(session: TherapySession, timeout: float) -> None:
    await session.start()
    assert session.state is SessionState.LISTENING, session.outcome
    await asyncio.wait_for(session.wait_ended(), timeout)


def _engine_call(engine, call_id: str):
    return engine.calls.get(call_id) or next(c for c in engine.finished_calls if c.id == call_id)


def _rms(path: Path) -> float:
    with wave.open(str(path)) as f:
        pcm = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).astype(np.float32)
    return float(np.sqrt(np.mean(pcm**2))) if pcm.size else 0.0


async def test_a_spoken_session_with_both_tools_ends_itself_after_the_summary(
    engine, demo_provider, full_conversation_wav, tmp_path
):
    speaker = tmp_path / "speaker.wav"
    session = TherapySession(TherapyType.ANXIETY, demo_provider, wav_endpoints(full_conversation_wav, speaker))
    states, tools, errors = [], [], []
    session.events.state_did_change.connect(states.append)
    session.events.tool_did_run.connect(tools.append)
    session.events.error_did_occur.connect(errors.append)

    await _run_until_ended(session, timeout=120)

    assert errors == []
    assert session.outcome.reason == "summary"
    assert isinstance(session.summary, SessionSummary) and "work" in session.summary.key_topics

    # The conversation, in order, both sides, words from the real speech.
    items = session.transcript.visible_items()
    roles = [i.role for i in items]
    assert roles == ["assistant"] + ["user", "assistant"] * 4  # the AI speaks first
    user_text = " ".join(i.text.lower() for i in items if i.role == "user")
    assert "anxious" in user_text and "work" in user_text and "goodbye" in user_text
    assert all(i.text and i.status == "completed" for i in items)

    # Tools: the breathing exercise and the summary ran once each, in that order.
    assert [type(t.effect) for t in tools] == [BreathingExercise, SessionSummary]

    # The states a person sees went round the loop.
    for state in (SessionState.CONNECTING, SessionState.LISTENING, SessionState.USER_SPEAKING,
                  SessionState.THINKING, SessionState.THERAPIST_SPEAKING, SessionState.ENDED):
        assert state in states

    # The therapist was heard: the speaker file holds speech.
    assert _rms(speaker) > 300

    # Both directions conform to the GA schema, strictly.
    call = _engine_call(engine, session.calls.call.call_id)
    for event in call.sent_events:
        assert_valid_server_event(event)
    for event in call.received_events:
        assert_valid_client_event(event)

    # Tool round trip: each function call answered with its call_id, then response.create.
    received = call.received_events
    calls = [e for e in call.sent_events if e["type"] == "response.function_call_arguments.done"]
    assert [c["name"] for c in calls] == ["breathing_exercise", "end_session_summary"]
    for c in calls:
        index = next(i for i, e in enumerate(received) if e.get("item", {}).get("call_id") == c["call_id"])
        assert received[index]["item"]["type"] == "function_call_output"
        assert received[index + 1]["type"] == "response.create"


async def test_user_transcriptions_that_arrive_after_the_reply_started_stay_in_place(
    engine, demo_provider, utterance_wavs, tmp_path
):
    from tests.conftest import conversation_wav

    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0)])
    session = TherapySession(TherapyType.GENERAL, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    await session.start()

    async def conversation_over() -> None:
        while not (session.audio.mic_exhausted and session.is_quiet):
            await asyncio.sleep(0.1)

    await asyncio.wait_for(conversation_over(), 60)
    await session.end()

    sent = [e["type"] for e in _engine_call(engine, session.calls.call.call_id).sent_events]
    committed = sent.index("input_audio_buffer.committed")
    reply_started = sent.index("output_audio_buffer.started", committed)  # after the greeting's
    assert sent.index("conversation.item.input_audio_transcription.completed") > reply_started
    items = session.transcript.visible_items()
    assert [i.role for i in items] == ["assistant", "user", "assistant"]
    assert "anxious" in items[1].text.lower()


async def test_a_wrong_engine_key_is_reported_and_nothing_is_left_running(engine, tmp_path, utterance_wavs):
    async def wrong_endpoint() -> LocalEndpoint:
        return LocalEndpoint(engine.base_url, "not-the-key")

    errors = []
    session = TherapySession(TherapyType.GENERAL, DemoKeyProvider(wrong_endpoint),
                             wav_endpoints(utterance_wavs["hello"], tmp_path / "out.wav"))
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    assert session.state is SessionState.ERROR
    assert "demo engine did not accept" in errors[0]
    assert engine.calls == {}
