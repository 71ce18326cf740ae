"""The recorder adds each response's cost to the history as `response.done` arrives, through the
real event parsing and a real SQLite file: the session's estimate is the sum of its responses,
Demo costs nothing, the clinic's sessions carry no figure, and a response that cannot be priced
makes the whole estimate unknown rather than an undercount."""

from __future__ import annotations

import numpy as np
import pytest
from openai.types.realtime.realtime_response_usage import RealtimeResponseUsage

from tests.fakes import FakeConnection, FakeKeyProvider
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.realtime.pricing import BUILT_IN, PRICES_FILE_ENV
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.session.recorder import SessionRecorder
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.storage import SessionStore, Usage
from therapy_desktop.therapy import TherapyType, build_instructions, tool_definitions

MODEL = "gpt-realtime-2.1"


def usage(text_in, audio_in, cached_text, cached_audio, text_out, audio_out) -> dict:
    return RealtimeResponseUsage.model_validate({
        "input_tokens": text_in + audio_in, "output_tokens": text_out + audio_out,
        "total_tokens": text_in + audio_in + text_out + audio_out,
        "input_token_details": {"text_tokens": text_in, "audio_tokens": audio_in,
                                "cached_tokens": cached_text + cached_audio,
                                "cached_tokens_details": {"text_tokens": cached_text, "audio_tokens": cached_audio}},
        "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
    }).model_dump(exclude_none=True)


# Later turns carry the conversation so far: more input, more of it cached.
RESPONSES = [usage(900, 0, 0, 0, 30, 240), usage(1100, 180, 896, 0, 25, 310), usage(1300, 420, 1024, 128, 40, 520)]


def done(n: int, u: dict) -> dict:
    return {"type": "response.done", "event_id": f"d{n}",
            "response": {"id": f"r{n}", "object": "realtime.response", "status": "completed", "output": [], "usage": u}}


@pytest.fixture
async def recorded(tmp_path, request):
    mode, model = request.param
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    config = SessionConfig(instructions=build_instructions(TherapyType.GENERAL), tools=tool_definitions(), model=model)
    session = TherapySession(TherapyType.GENERAL, FakeKeyProvider(), AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "o.wav"),
                             connection_factory=FakeConnection, config=config)
    path = tmp_path / "history.sqlite3"
    store = SessionStore.open(path)
    recorder = SessionRecorder(store, session, mode=mode)
    await session.start()
    yield session, FakeConnection.last, recorder, store, path
    await session.end()  # once more is harmless
    store.close()


async def _stored(session, recorder, store, path):
    await session.end()
    await recorder.flushed()
    store.close()
    with SessionStore.open(path) as again:  # read back from the file, by a fresh connection
        return again.get_session(recorder.session_id)


@pytest.mark.parametrize("recorded", [("openai", MODEL)], indirect=True)
async def test_the_session_estimate_is_the_sum_of_its_responses(recorded):
    session, server, recorder, store, path = recorded
    for n, u in enumerate(RESPONSES):
        server.deliver(done(n, u))
    record = await _stored(session, recorder, store, path)
    expected = sum(BUILT_IN.response_cost(MODEL, u) for u in RESPONSES)
    assert record.estimated_cost_usd == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.0922032, abs=1e-12)  # by hand: 19680 + 27374.4 + 45148.8 micro-dollars
    assert record.usage == Usage(sum(u["input_tokens"] for u in RESPONSES), sum(u["output_tokens"] for u in RESPONSES),
                                 sum(u["total_tokens"] for u in RESPONSES))


@pytest.mark.parametrize("recorded", [("openai", MODEL)], indirect=True)
async def test_one_response_that_cannot_be_priced_makes_the_estimate_unknown(recorded):
    session, server, recorder, store, path = recorded
    server.deliver(done(0, RESPONSES[0]))
    await recorder.flushed()
    assert store.get_session(recorder.session_id).estimated_cost_usd is not None
    unsplittable = dict(RESPONSES[1], input_token_details={"cached_tokens": 896})  # cached, but of what?
    server.deliver(done(1, unsplittable), done(2, RESPONSES[2]))
    record = await _stored(session, recorder, store, path)
    assert record.estimated_cost_usd is None
    assert record.usage.total_tokens == sum(u["total_tokens"] for u in RESPONSES)  # the tokens still count


@pytest.mark.parametrize("recorded", [("openai", "gpt-realtime-mini")], indirect=True)
async def test_a_model_without_a_known_price_stores_no_estimate(recorded):
    session, server, recorder, store, path = recorded
    server.deliver(*(done(n, u) for n, u in enumerate(RESPONSES)))
    record = await _stored(session, recorder, store, path)
    assert record.estimated_cost_usd is None and record.usage.total_tokens > 0


@pytest.mark.parametrize("recorded", [("demo", MODEL)], indirect=True)
async def test_demo_costs_nothing(recorded):
    session, server, recorder, store, path = recorded
    server.deliver(*(done(n, u) for n, u in enumerate(RESPONSES)))
    assert (await _stored(session, recorder, store, path)).estimated_cost_usd == 0.0


@pytest.mark.parametrize("recorded", [("backend", MODEL)], indirect=True)
async def test_the_clinics_sessions_carry_no_figure(recorded):
    session, server, recorder, store, path = recorded
    server.deliver(*(done(n, u) for n, u in enumerate(RESPONSES)))
    assert (await _stored(session, recorder, store, path)).estimated_cost_usd is None


@pytest.fixture
def broken_price_file(tmp_path, monkeypatch):
    bad = tmp_path / "prices.json"
    bad.write_text("{", "utf-8")
    monkeypatch.setenv(PRICES_FILE_ENV, str(bad))


@pytest.mark.parametrize("recorded", [("openai", MODEL)], indirect=True)
async def test_an_unusable_price_file_means_no_estimate_not_the_built_in_prices(broken_price_file, recorded, caplog):
    session, server, recorder, store, path = recorded
    server.deliver(done(0, RESPONSES[0]))
    assert (await _stored(session, recorder, store, path)).estimated_cost_usd is None
    assert any("prices.json is not valid JSON" in r.getMessage() for r in caplog.get_records("setup"))
