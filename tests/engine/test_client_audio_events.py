"""The client events of barge-in and push-to-talk, answered by the engine as the GA service does,
over a real aiortc loopback call: `output_audio_buffer.clear`, `conversation.item.truncate`,
`input_audio_buffer.clear` / `.commit` with turn detection off. Every event both ways is checked
against the openai SDK's models (no field outside the schema)."""

from __future__ import annotations

import asyncio
import copy
import json

import numpy as np
import pytest

from tests.conftest import conversation_wav, wav_endpoints
from tests.schema import assert_valid_client_event, assert_valid_server_event
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.engine.call import EngineCall
from therapy_desktop.engine.input_buffer import InputAudioBuffer
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.session_config import DEFAULT_SESSION
from therapy_desktop.engine.speech import VAD_CHUNK
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType


async def until(condition, timeout: float, what: str) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(wait(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def _engine_call(engine, session: TherapySession) -> EngineCall:
    return engine.calls[session.calls.call.call_id]


def _sent(call: EngineCall, type_: str) -> list[dict]:
    return [e for e in call.sent_events if e["type"] == type_]


def _errors(call: EngineCall) -> list[dict]:
    return [e["error"] for e in call.sent_events if e["type"] == "error"]


def _assert_schema(call: EngineCall) -> None:
    for event in call.sent_events:
        assert_valid_server_event(event)
    for event in call.received_events:
        assert_valid_client_event(event)


@pytest.mark.slow
async def test_clearing_the_output_stops_the_voice_and_truncate_cuts_the_transcript(engine, demo_provider, tmp_path):
    mic = conversation_wav(tmp_path / "quiet.wav", [(None, 30.0)])
    session = TherapySession(TherapyType.GENERAL, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    await session.start()
    call = _engine_call(engine, session)
    try:
        await until(lambda: _sent(call, "output_audio_buffer.started"), 30, "the greeting starts")
        started_at = call.track.sent
        await until(lambda: call.track.sent - started_at > 1.5 * SAMPLE_RATE, 20, "1.5 s of the greeting sent")
        greeting = _sent(call, "output_audio_buffer.started")[0]["response_id"]
        session.calls.send({"type": "output_audio_buffer.clear", "event_id": "c_clear"})
        await until(lambda: _sent(call, "output_audio_buffer.cleared"), 5, "cleared")
        await until(lambda: _sent(call, "response.done"), 10, "the greeting's response completes")
        stopped_at = call.track.sent
        await asyncio.sleep(1.0)
        # Nothing more of the greeting is voiced, and its response still completes with all its words.
        assert call.track.sent == stopped_at and call.track.pending_samples == 0
        done = _sent(call, "response.done")[0]["response"]
        assert done["id"] == greeting and done["status"] == "completed"
        assert not [e for e in _sent(call, "output_audio_buffer.stopped") if e["response_id"] == greeting]
        item = done["output"][0]
        full = item["content"][0]["transcript"]
        assert len(full.split()) > 8, full
        heard_ms = call._spoken[item["id"]].ms
        assert 1400 <= heard_ms <= 2600, heard_ms  # what was sent before the clear, give or take a frame burst

        # Truncate at 700 ms: the engine's conversation keeps only the words heard by then.
        session.calls.send({"type": "conversation.item.truncate", "event_id": "c_cut", "item_id": item["id"],
                            "content_index": 0, "audio_end_ms": 700})
        await until(lambda: _sent(call, "conversation.item.truncated"), 5, "truncated")
        truncated = _sent(call, "conversation.item.truncated")[0]
        assert (truncated["item_id"], truncated["content_index"], truncated["audio_end_ms"]) == (item["id"], 0, 700)
        kept = call.spoken_transcript(item["id"])
        assert kept and full.startswith(kept) and len(kept.split()) < len(full.split()), (kept, full)

        # The service's refusals: past the (now shorter) audio, an unknown item, a user's item, a bad index.
        session.calls.send({"type": "conversation.item.create", "event_id": "c_typed",
                            "item": {"id": "typed1", "type": "message", "role": "user",
                                     "content": [{"type": "input_text", "text": "Hi."}]}})
        for event_id, fields in (("c_far", {"item_id": item["id"], "content_index": 0, "audio_end_ms": 701}),
                                 ("c_unknown", {"item_id": "item_nope", "content_index": 0, "audio_end_ms": 0}),
                                 ("c_user", {"item_id": "typed1", "content_index": 0, "audio_end_ms": 0}),
                                 ("c_index", {"item_id": item["id"], "content_index": 1, "audio_end_ms": 0})):
            session.calls.send({"type": "conversation.item.truncate", "event_id": event_id, **fields})
        await until(lambda: len(_errors(call)) >= 4, 5, "four refusals")
        errors = {e["event_id"]: e for e in _errors(call)}
        assert errors["c_far"]["message"] == "Audio content of 700ms is already shorter than 701ms."
        assert errors["c_far"]["param"] == "audio_end_ms"
        assert errors["c_unknown"]["param"] == "item_id" and "item_nope" in errors["c_unknown"]["message"]
        assert errors["c_user"]["message"] == "Only model output audio messages can be truncated."
        assert errors["c_index"]["param"] == "content_index"
        assert all(e["type"] == "invalid_request_error" for e in errors.values())
        assert len(_sent(call, "conversation.item.truncated")) == 1  # a refusal cuts nothing
        assert call.spoken_transcript(item["id"]) == kept
    finally:
        await session.end()
    _assert_schema(call)


@pytest.mark.slow
async def test_push_to_talk_commits_the_buffer_and_the_reply_answers_it(engine, demo_provider, utterance_wavs, tmp_path):
    # A recording plays only while the push-to-talk key is held (it waits while the uplink is shut).
    mic = conversation_wav(tmp_path / "mic.wav", [(utterance_wavs["hello"], 0.4)])
    session = TherapySession(TherapyType.GENERAL, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    session.barge_in.set_mode(AudioMode.PUSH_TO_TALK)
    await session.start()
    call = _engine_call(engine, session)
    try:
        await until(lambda: call.session["audio"]["input"]["turn_detection"] is None, 10, "turn detection off")
        updated = _sent(call, "session.updated")[-1]
        assert updated["session"]["audio"]["input"]["turn_detection"] is None
        await until(lambda: _sent(call, "output_audio_buffer.stopped"), 40, "the greeting played")

        # Committing an empty buffer is refused with the service's code.
        session.calls.send({"type": "input_audio_buffer.clear", "event_id": "c_clear"})
        session.calls.send({"type": "input_audio_buffer.commit", "event_id": "c_empty"})
        await until(lambda: _errors(call), 5, "the refusal")
        refusal = _errors(call)[0]
        assert refusal["code"] == "input_audio_buffer_commit_empty" and refusal["event_id"] == "c_empty"
        assert refusal["message"].startswith("Error committing input audio buffer: buffer too small.")
        assert _sent(call, "input_audio_buffer.cleared")

        session.barge_in.push_to_talk(True)
        await until(lambda: session.audio.mic_exhausted, 20, "the utterance was said while held")
        session.barge_in.push_to_talk(False)
        await until(lambda: _sent(call, "input_audio_buffer.committed"), 5, "committed")
        committed = _sent(call, "input_audio_buffer.committed")[0]
        await until(lambda: _sent(call, "conversation.item.input_audio_transcription.completed"), 20, "transcribed")
        heard = _sent(call, "conversation.item.input_audio_transcription.completed")[0]
        assert heard["item_id"] == committed["item_id"]
        assert "work" in heard["transcript"].lower() or "anxious" in heard["transcript"].lower(), heard
        await until(lambda: len(_sent(call, "output_audio_buffer.stopped")) >= 2, 40, "the reply played")
        user = session.transcript.get(committed["item_id"])
        assert user is not None and user.role == "user" and user.text
        reply = [i for i in session.transcript.visible_items() if i.role == "assistant"][-1]
        assert reply.text, reply
    finally:
        await session.end()
    # Turns came only from the client: the engine never ran its VAD on this call.
    assert not _sent(call, "input_audio_buffer.speech_started")
    received = [e["type"] for e in call.received_events]
    release = received.index("input_audio_buffer.commit", received.index("input_audio_buffer.commit") + 1)
    assert received[release + 1] == "response.create"  # release: commit, then ask for the reply
    assert len(call.turns) == 1 and call.turns[0].response is not None
    _assert_schema(call)


@pytest.fixture(scope="module")
def idle_models():
    models = EngineModels()  # never loads: nothing here speaks
    yield models
    models.close()


async def test_a_commit_with_server_vad_commits_what_the_detector_holds(idle_models):
    call = EngineCall("rtc_vad", copy.deepcopy(DEFAULT_SESSION), idle_models, on_closed=lambda _: None, record_events=True)
    try:
        call._on_message(json.dumps({"type": "input_audio_buffer.commit", "event_id": "e1"}))
        assert _errors(call)[0]["code"] == "input_audio_buffer_commit_empty"
        assert "buffer only has 0.00ms of audio" in _errors(call)[0]["message"]
        call._on_message(json.dumps({"type": "input_audio_buffer.clear"}))
        call._on_message(json.dumps({"type": "conversation.item.truncate", "item_id": "x", "content_index": 0,
                                     "audio_end_ms": True}))
        assert _errors(call)[-1]["code"] == "invalid_type" and _errors(call)[-1]["param"] == "audio_end_ms"
        call._on_message(json.dumps({"type": "session.update", "session": {
            "type": "realtime", "audio": {"input": {"turn_detection": None}}}}))
        assert call.session["audio"]["input"]["turn_detection"] is None and call.user_turns.detector is None
    finally:
        await call.close()
    assert [e["type"] for e in call.sent_events] == ["error", "input_audio_buffer.cleared", "error", "session.updated"]
    _assert_schema(call)


def test_the_input_buffer_keeps_quiet_cheaply_and_trims_it_for_the_recogniser():
    buffer = InputAudioBuffer(VAD_CHUNK, max_seconds=10)
    quiet, loud = np.zeros(VAD_CHUNK, dtype=np.int16), np.full(VAD_CHUNK, 3000, dtype=np.int16)
    for window in [quiet] * 40 + [loud] * 5 + [quiet] * 40:
        buffer.append(window.copy())
    assert buffer.ms == pytest.approx(85 * 32)
    audio = buffer.take()
    pad = int(np.ceil(300 * 16 / VAD_CHUNK))  # windows of quiet kept on each side
    assert len(audio) == (5 + 2 * pad) * VAD_CHUNK and int(audio.max()) == 3000
    assert buffer.ms == 0 and len(buffer.take()) == 0
    for _ in range(1000):  # longer than the cap: the oldest goes
        buffer.append(loud)
    assert buffer.ms == pytest.approx(10_000, abs=32)
