"""Every malformed request the engine was seen to 500 on, or to accept: now a 4xx in the service's
JSON error shape, decided before anything uses the request (a bad session fails at the mint, not
at the call)."""

from __future__ import annotations

import httpx
import pytest
from aiortc import RTCConfiguration, RTCPeerConnection

from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.session_config import SessionConfig


@pytest.fixture
async def bare_engine():
    engine = LocalEngine(preload_models=False)  # nothing here speaks
    await engine.start()
    yield engine
    await engine.stop()


def _session(**fields):
    return {"type": "realtime", **fields}


def assert_service_error(response: httpx.Response, status: int = 400) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "code", "param"}
    assert isinstance(error["message"], str) and error["message"] and isinstance(error["type"], str)
    return error


BAD_SECRET_BODIES = {
    "expires_after as a string": {"expires_after": "600"},
    "expires_after as a list": {"expires_after": [600]},
    "expires_after.seconds as a boolean": {"expires_after": {"seconds": True}},
    "session.audio as a string": {"session": _session(audio="loud")},
    "audio.input as a list": {"session": _session(audio={"input": []})},
    "audio.output as a number": {"session": _session(audio={"output": 3})},
    "model as a number": {"session": _session(model=4)},
    "voice as an object": {"session": _session(audio={"output": {"voice": {"name": "marin"}}})},
    "instructions as a number": {"session": _session(instructions=42)},
    "silence_duration_ms as text": {"session": _session(audio={"input": {"turn_detection": {
        "type": "server_vad", "silence_duration_ms": "abc"}}})},
    "threshold above 1": {"session": _session(audio={"input": {"turn_detection": {"type": "server_vad", "threshold": 7}}})},
    "tools as a string": {"session": _session(tools="x")},
    "a tool without a name": {"session": _session(tools=[{"type": "function"}])},
    "speed as a word": {"session": _session(audio={"output": {"speed": "fast"}})},
    "speed out of range": {"session": _session(audio={"output": {"speed": 9.0}})},
    "output_modalities as a string": {"session": _session(output_modalities="audio")},
    "tool_choice as a number": {"session": _session(tool_choice=3)},
    "an unknown top-level field": {"session": _session(), "ttl": 5},
    "the body a list": [1, 2],
}


@pytest.mark.parametrize("body", BAD_SECRET_BODIES.values(), ids=BAD_SECRET_BODIES.keys())
async def test_a_malformed_session_is_refused_at_the_mint(bare_engine, body):
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets", json=body,
                            headers={"Authorization": f"Bearer {bare_engine.api_key}"})
    error = assert_service_error(r)
    assert error["code"] in {"invalid_type", "invalid_value", "unknown_parameter", "missing_required_parameter",
                             "decimal_above_max_value", "integer_above_max_value"}
    assert error["param"]  # names what to fix


BAD_RAW_BODIES = {
    "nested 2,000 deep": b"[" * 2000 + b"]" * 2000,
    "nested 100 deep": b'{"session":' * 100 + b"{}" + b"}" * 100,
    "not UTF-8": b'{"session": {"type": "realtime", "instructions": "\xff\xfe"}}',
    "NaN": b'{"session": {"type": "realtime", "audio": {"output": {"speed": NaN}}}}',
    "1e999": b'{"session": {"type": "realtime", "audio": {"output": {"speed": 1e999}}}}',
    "a 5,000-digit integer": b'{"expires_after": {"seconds": ' + b"9" * 5000 + b"}}",
    "truncated": b'{"session": {"type": ',
    "empty": b"",
}


@pytest.mark.parametrize("raw", BAD_RAW_BODIES.values(), ids=BAD_RAW_BODIES.keys())
async def test_malformed_json_is_a_400_not_a_500(bare_engine, raw):
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets", content=raw, headers={
            "Authorization": f"Bearer {bare_engine.api_key}", "Content-Type": "application/json"})
    assert assert_service_error(r)["code"] == "invalid_json"


async def test_a_body_other_than_json_is_refused_like_the_service(bare_engine):
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets", content=b'{"session": null}', headers={
            "Authorization": f"Bearer {bare_engine.api_key}", "Content-Type": "text/plain"})
    assert assert_service_error(r)["code"] == "unsupported_content_type"


async def test_a_body_beyond_the_bound_is_refused(bare_engine):
    huge = {"session": _session(instructions="x" * 300_000)}
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets", json=huge,
                            headers={"Authorization": f"Bearer {bare_engine.api_key}"})
    assert_service_error(r, 413)


async def test_our_clients_session_and_a_full_ga_session_are_accepted(bare_engine):
    full = _session(
        model="gpt-realtime", instructions="Be kind.", output_modalities=["audio"], tool_choice={"type": "function", "name": "f"},
        tools=[{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}],
        max_output_tokens=4096, include=["item.input_audio_transcription.logprobs"], tracing="auto",
        truncation={"type": "retention_ratio", "retention_ratio": 0.5}, prompt=None,
        audio={"input": {"format": {"type": "audio/pcm", "rate": 24000}, "noise_reduction": {"type": "far_field"},
                         "transcription": {"model": "gpt-4o-mini-transcribe", "language": "en"},
                         "turn_detection": {"type": "semantic_vad", "eagerness": "low"}},
               "output": {"format": {"type": "audio/pcmu"}, "voice": "cedar", "speed": 1.25}},
    )
    async with httpx.AsyncClient() as http:
        for session in (SessionConfig(instructions="Hi").to_session(), full):
            r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets",
                                json={"expires_after": {"anchor": "created_at", "seconds": 60}, "session": session},
                                headers={"Authorization": f"Bearer {bare_engine.api_key}"})
            assert r.status_code == 200, r.text


async def _offer(*, data_channel: bool) -> str:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver("audio", direction="sendrecv")
    if data_channel:
        pc.createDataChannel("oai-events")
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def _mint(http: httpx.AsyncClient, engine: LocalEngine) -> str:
    r = await http.post(f"{engine.base_url}/realtime/client_secrets", json={},
                        headers={"Authorization": f"Bearer {engine.api_key}"})
    return r.json()["value"]


async def test_an_offer_without_a_data_channel_is_an_invalid_offer(bare_engine):
    offer = await _offer(data_channel=False)
    assert "m=audio" in offer and "m=application" not in offer
    async with httpx.AsyncClient() as http:
        key = await _mint(http, bare_engine)
        r = await http.post(f"{bare_engine.base_url}/realtime/calls", content=offer,
                            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"})
    assert assert_service_error(r)["code"] == "invalid_offer"
    assert bare_engine.calls == {}


BAD_OFFERS = {
    "not UTF-8": b"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n\xff\xfe\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n",
    "sections only": b"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n",
    "two audio sections": b"v=0\r\nm=audio 9 X 0\r\nm=audio 9 X 0\r\nm=application 9 X 0\r\n",
    "a NUL": b"v=0\r\nm=audio\x00 9 X 0\r\nm=application 9 X 0\r\n",
}


@pytest.mark.parametrize("offer", BAD_OFFERS.values(), ids=BAD_OFFERS.keys())
async def test_an_unusable_offer_is_an_invalid_offer_not_a_500(bare_engine, offer):
    async with httpx.AsyncClient() as http:
        key = await _mint(http, bare_engine)
        r = await http.post(f"{bare_engine.base_url}/realtime/calls", content=offer,
                            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"})
    assert assert_service_error(r)["code"] == "invalid_offer"
    assert bare_engine.calls == {}


HOSTILE_EVENTS = {
    "nested 2,000 deep": "[" * 2000 + "]" * 2000,
    "non-finite": '{"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": 1e999}}}}',
    "not UTF-8": b'{"type": "response.create", "x": "\xff"}',
    "type not a string": '{"type": ["session.update"]}',
    "session of the wrong shape": '{"type": "session.update", "session": {"type": "realtime", "audio": {"input": 5}}}',
    "an item id as a number": '{"type": "conversation.item.create", "item": {"type": "message", "id": 5}}',
    "content as a number": '{"type": "conversation.item.create", "item": {"type": "message", "content": 5}}',
    "text as a list": '{"type": "conversation.item.create", "item": {"type": "message", "content": [{"text": [1]}]}}',
    "too large": '{"type": "response.create", "pad": "' + "x" * 300_000 + '"}',
}


@pytest.mark.parametrize("message", HOSTILE_EVENTS.values(), ids=HOSTILE_EVENTS.keys())
async def test_a_hostile_client_event_is_one_error_event_and_the_call_lives_on(message):
    """What arrives on oai-events is handled inside aiortc's receive loop: nothing may escape it."""
    import copy

    from therapy_desktop.engine.call import EngineCall
    from therapy_desktop.engine.models import EngineModels
    from therapy_desktop.engine.session_config import DEFAULT_SESSION

    models = EngineModels()
    call = EngineCall("rtc_test", copy.deepcopy(DEFAULT_SESSION), models, on_closed=lambda _: None, record_events=True)
    try:
        call._on_message(message)
        assert [e["type"] for e in call.sent_events] == ["error"]
        assert call.sent_events[0]["error"]["type"] == "invalid_request_error"
        assert call.session == DEFAULT_SESSION  # nothing half-applied
    finally:
        await call.close()
        models.close()


async def test_an_offer_beyond_the_bound_is_refused(bare_engine):
    from therapy_desktop.engine.requests import MAX_SDP

    offer = (await _offer(data_channel=True)) + "a=x-pad:" + "x" * MAX_SDP + "\r\n"
    async with httpx.AsyncClient() as http:
        key = await _mint(http, bare_engine)
        r = await http.post(f"{bare_engine.base_url}/realtime/calls", content=offer,
                            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"})
    assert assert_service_error(r, 413)["code"] == "offer_too_large"


async def test_unused_keys_are_bounded(bare_engine, monkeypatch):
    import therapy_desktop.engine.server as server

    monkeypatch.setattr(server, "MAX_LIVE_SECRETS", 3)
    async with httpx.AsyncClient() as http:
        statuses = [(await http.post(f"{bare_engine.base_url}/realtime/client_secrets", json={},
                                     headers={"Authorization": f"Bearer {bare_engine.api_key}"})) for _ in range(4)]
    assert [r.status_code for r in statuses[:3]] == [200, 200, 200]
    assert assert_service_error(statuses[3], 429)["code"] == "rate_limit_exceeded"
