"""The engine's HTTP surface under generated requests: no 5xx ever, every error in the service's
shape, and a key the mint accepts always opens a call (a bad session fails at the mint, never
later). The engine runs on a loop of its own in a thread; hypothesis drives a plain HTTP client."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiortc import RTCConfiguration, RTCPeerConnection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from therapy_desktop.engine import LocalEngine
from therapy_desktop.engine.session_schema import MODELS, VOICES
from therapy_desktop.realtime.session_config import SessionConfig

FUZZ = settings(max_examples=400, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class EngineThread:
    """A LocalEngine (no models: nothing here speaks) on its own loop, for synchronous tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.engine = LocalEngine(preload_models=False)
        self.run(self.engine.start())
        self.offer = self.run(_real_offer())

    def run(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def hang_up(self, location: str) -> None:
        call = self.engine.calls.get(location.rsplit("/", 1)[-1])
        assert call is not None, f"a 201 for {location}, but the engine holds no such call"
        self.run(call.close())

    def close(self) -> None:
        self.run(self.engine.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


async def _real_offer() -> str:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver("audio", direction="sendrecv")
    pc.createDataChannel("oai-events")
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[EngineThread, httpx.Client]]:
    host = EngineThread()
    with httpx.Client(base_url=host.engine.base_url, timeout=30) as http:
        yield host, http
    host.close()


def assert_well_formed(r: httpx.Response) -> None:
    assert r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
    if r.status_code >= 400:
        assert r.headers.get("content-type", "").startswith("application/json"), r.text[:300]
        error = r.json()["error"]
        assert set(error) == {"message", "type", "code", "param"}, error
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["type"], str) and error["type"]
        assert error["code"] is None or isinstance(error["code"], str)
        assert error["param"] is None or isinstance(error["param"], str)


# -- strategies --------------------------------------------------------------------------------

_scalars = (st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=12) | st.sampled_from(["realtime", "server_vad", "audio/pcm", "inf", "auto", "function"]))
json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


def field(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a valid value (so that whole sessions are often valid), sometimes anything at all."""
    return st.one_of(valid, valid, valid, valid, json_values)


def shaped(required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    return field(st.fixed_dictionaries({k: field(v) for k, v in required.items()},
                                       optional={k: field(v) for k, v in optional.items()}))


_turn = shaped({"type": st.sampled_from(["server_vad", "semantic_vad"])}, {
    "threshold": st.floats(0, 1), "prefix_padding_ms": st.integers(0, 2000), "silence_duration_ms": st.integers(0, 2000),
    "idle_timeout_ms": st.none() | st.integers(5000, 30000), "create_response": st.booleans(),
    "interrupt_response": st.booleans(), "eagerness": st.sampled_from(["low", "auto"]),
})
_format = shaped({"type": st.sampled_from(["audio/pcm", "audio/pcmu", "audio/pcma"])}, {"rate": st.just(24000)})
_audio = shaped({}, {
    "input": shaped({}, {"format": _format, "turn_detection": st.none() | _turn,
                         "transcription": st.none() | shaped({}, {"model": st.just("gpt-4o-mini-transcribe"),
                                                                  "language": st.just("en")}),
                         "noise_reduction": st.none() | shaped({"type": st.sampled_from(["near_field", "far_field"])}, {})}),
    "output": shaped({}, {"format": _format, "voice": st.sampled_from(sorted(VOICES)),
                          "speed": st.floats(0.25, 1.5)}),
})
_tool = shaped({"type": st.just("function"), "name": st.text(min_size=1, max_size=10)},
               {"description": st.text(max_size=20), "parameters": st.just({"type": "object", "properties": {}})})
sessions = shaped({"type": st.just("realtime")}, {
    "model": st.sampled_from(sorted(MODELS)), "instructions": st.text(max_size=200),
    "output_modalities": st.sampled_from([["audio"], ["text"]]), "audio": _audio,
    "tools": st.lists(_tool, max_size=3), "tool_choice": st.sampled_from(["auto", "none", "required"]),
    "max_output_tokens": st.sampled_from(["inf", 1, 4096]), "truncation": st.sampled_from(["auto", "disabled"]),
    "tracing": st.none() | st.just("auto"), "include": st.none(), "prompt": st.none(),
})
secret_bodies = st.one_of(
    shaped({}, {"expires_after": shaped({}, {"anchor": st.just("created_at"), "seconds": st.integers(10, 7200)}),
                "session": sessions}),
    json_values,
).map(lambda body: json.dumps(body).encode())
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
    st.sampled_from([b"NaN", b'{"session": {"type": "realtime", "audio": {"output": {"speed": 1e999}}}}', b"",
                     b'{"expires_after": {"seconds": ' + b"9" * 5000 + b"}}"]),
    st.text(max_size=200).map(str.encode),
)
_OTHER_TYPES = ["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", ""]
json_types = st.sampled_from(["application/json"] * 4 + ["application/json; charset=utf-8", "application/sdp", *_OTHER_TYPES])
sdp_types = st.sampled_from(["application/sdp"] * 5 + ["application/json", *_OTHER_TYPES])
mostly = st.sampled_from([True, True, True, False])
# What HTTP allows in a header value: visible ASCII and obs-text. Control characters are refused by
# aiohttp's parser itself, in plain text, before any handler runs (the one answer not in the JSON shape).
HEADER_CHARS = st.sampled_from([chr(c) for c in (*range(0x21, 0x7F), *range(0xA0, 0x100))])


def _mutations(offer: str) -> st.SearchStrategy[bytes]:
    lines = offer.split("\r\n")
    return st.one_of(
        st.just(offer.encode()),
        st.just(offer.encode()),
        st.lists(st.sampled_from(lines), max_size=len(lines)).map(lambda kept: "\r\n".join(kept).encode()),
        st.tuples(st.integers(0, len(lines) - 1), st.text(max_size=40)).map(
            lambda edit: "\r\n".join(lines[: edit[0]] + [edit[1]] + lines[edit[0] + 1:]).encode()),
        st.tuples(st.integers(0, len(offer)), st.binary(max_size=20)).map(
            lambda edit: offer.encode()[: edit[0]] + edit[1] + offer.encode()[edit[0]:]),
        raw_bodies,
    )


# -- the tests ---------------------------------------------------------------------------------

@FUZZ
@given(body=st.one_of(secret_bodies, secret_bodies, raw_bodies), content_type=json_types, authorized=mostly,
       wrong_key=st.text(alphabet=HEADER_CHARS, min_size=1, max_size=40))
def test_client_secrets_never_fails_and_what_it_mints_opens_a_call(served, body, content_type, authorized, wrong_key):
    host, http = served
    headers = {"Content-Type": content_type} if content_type else {}
    headers["Authorization"] = f"Bearer {host.engine.api_key}" if authorized else f"Bearer {wrong_key}".encode("latin-1")
    r = http.post("/realtime/client_secrets", content=body, headers=headers)
    event(f"client_secrets {r.status_code}")
    assert_well_formed(r)
    if r.status_code != 200:
        return
    key = r.json()["value"]
    assert key.startswith("ek_")
    # What the mint accepted must work at the call (the bug: mint 200, then the call 500).
    call = http.post("/realtime/calls", content=host.offer,
                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"})
    assert call.status_code == 201, call.text[:300]
    host.hang_up(call.headers["Location"])


@FUZZ
@given(data=st.data(), content_type=sdp_types, keyed=mostly)
def test_calls_never_fails(served, data, content_type, keyed):
    host, http = served
    body = data.draw(_mutations(host.offer))
    headers = {"Content-Type": content_type} if content_type else {}
    if keyed:
        minted = http.post("/realtime/client_secrets", json={"session": SessionConfig(instructions="x").to_session()},
                           headers={"Authorization": f"Bearer {host.engine.api_key}"})
        headers["Authorization"] = f"Bearer {minted.json()['value']}"
    r = http.post("/realtime/calls", content=body, headers=headers)
    event(f"calls {r.status_code}")
    assert_well_formed(r)
    if r.status_code == 201:
        host.hang_up(r.headers["Location"])


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "POST", "OPTIONS"]),
       path=st.sampled_from(["/realtime/client_secrets", "/realtime/calls", "/realtime/calls/rtc_x", "/realtime", "/x"])
       | st.text(alphabet="abc/%._-~", max_size=20).map(lambda p: "/" + p.lstrip("/")))
def test_other_methods_and_paths_answer_in_the_services_shape(served, method, path):
    _, http = served
    assert_well_formed(http.request(method, path))
