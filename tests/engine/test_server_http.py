"""The engine's HTTP endpoints answer like the real service, errors in its JSON shape."""

import httpx
import pytest

from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.session_config import SessionConfig


@pytest.fixture
async def bare_engine():
    engine = LocalEngine(preload_models=False)  # these tests never speak
    await engine.start()
    yield engine
    await engine.stop()


async def test_it_listens_on_loopback_only(bare_engine):
    assert bare_engine.base_url.startswith("http://127.0.0.1:")


async def test_client_secrets_mints_an_ephemeral_key_with_the_session(bare_engine):
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets",
                            headers={"Authorization": f"Bearer {bare_engine.api_key}"},
                            json={"session": SessionConfig(instructions="Hi").to_session()})
    assert r.status_code == 200
    body = r.json()
    assert body["value"].startswith("ek_") and body["expires_at"] > 0
    assert body["session"]["type"] == "realtime" and body["session"]["instructions"] == "Hi"


@pytest.mark.parametrize(
    ("path", "headers", "body", "status", "code"),
    [
        ("/realtime/client_secrets", {"Authorization": "Bearer wrong"}, {}, 401, "invalid_api_key"),
        ("/realtime/client_secrets", {}, {}, 401, "invalid_api_key"),
        ("/realtime/calls", {"Authorization": "Bearer ek_unknown", "Content-Type": "application/sdp"}, "v=0", 401, "invalid_api_key"),
        ("/realtime/sessions", {}, {}, 404, None),
    ],
)
async def test_errors_use_the_services_json_shape(bare_engine, path, headers, body, status, code):
    async with httpx.AsyncClient() as http:
        kwargs = {"json": body} if isinstance(body, dict) else {"content": body}
        r = await http.post(f"{bare_engine.base_url}{path}", headers=headers, **kwargs)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["message"] and error["type"] and error.get("code") == code


async def test_a_beta_session_is_refused_at_minting(bare_engine):
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{bare_engine.base_url}/realtime/client_secrets",
                            headers={"Authorization": f"Bearer {bare_engine.api_key}"},
                            json={"session": {"type": "realtime", "voice": "alloy"}})
    assert r.status_code == 400 and "session.voice" in r.json()["error"]["message"]


async def test_a_call_needs_an_sdp_offer(bare_engine):
    async with httpx.AsyncClient() as http:
        secret = (await http.post(f"{bare_engine.base_url}/realtime/client_secrets",
                                  headers={"Authorization": f"Bearer {bare_engine.api_key}"}, json={})).json()["value"]
        bad = await http.post(f"{bare_engine.base_url}/realtime/calls", content="hello",
                              headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/sdp"})
        wrong_type = await http.post(f"{bare_engine.base_url}/realtime/calls", json={"sdp": "v=0"},
                                     headers={"Authorization": f"Bearer {secret}"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_offer"
    assert wrong_type.status_code == 400


async def test_browsers_may_call_it_across_origins_like_openais_api(bare_engine):
    async with httpx.AsyncClient() as http:
        preflight = await http.options(f"{bare_engine.base_url}/realtime/calls", headers={
            "Origin": "http://127.0.0.1:9", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        refused = await http.post(f"{bare_engine.base_url}/realtime/client_secrets", json={},
                                  headers={"Origin": "http://127.0.0.1:9"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == "*"
    assert "Location" in refused.headers["Access-Control-Expose-Headers"]
