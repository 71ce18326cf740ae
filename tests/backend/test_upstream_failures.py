"""OpenAI failing in each way the desktop must explain, seen through a real backend process: a clear
error, never the clinic's key or OpenAI's body, and no daily slot spent on a start that failed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.backend.conftest import Deployment, deploy
from tests.backend.processes import CLINIC_KEY, ScriptedOpenAI

LEAKY = "Incorrect API key provided: sk-clin****cdef. You can find your API key at platform.openai.com."


@pytest.fixture(scope="module")
def scripted() -> Iterator[ScriptedOpenAI]:
    server = ScriptedOpenAI().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def deployment(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               scripted: ScriptedOpenAI) -> Deployment:
    return deploy("sqlite", request, tmp_path_factory.mktemp("upstream"), scripted.base_url, ["gus"],
                  OPENAI_MAX_DAILY_SESSIONS="2", BACKEND_STARTS_PER_MINUTE="100",
                  BACKEND_UPSTREAM_TIMEOUT_SECONDS="1")


def openai_error(status: int, code: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    body = {"error": {"message": LEAKY, "type": "invalid_request_error", "code": code, "param": None}}
    return status, json.dumps(body).encode(), headers or {}


GOOD = (200, json.dumps({"value": "ek_scripted_0123456789", "expires_at": 4102444800,
                         "session": {"id": "sess_scripted", "type": "realtime"}}).encode(), {})

CASES = [
    ("key rejected", openai_error(401, "invalid_api_key"), 0.0, 502, "upstream_key_rejected", "OPENAI_API_KEY"),
    ("no access", openai_error(403, "model_not_found"), 0.0, 502, "upstream_forbidden", "OPENAI_REALTIME_MODEL"),
    ("quota", openai_error(429, "insufficient_quota", {"Retry-After": "20"}), 0.0, 503, "upstream_quota", "quota"),
    ("outage", openai_error(500, "server_error"), 0.0, 503, "upstream_unavailable", "problems"),
    ("bad config", openai_error(400, "invalid_value"), 0.0, 502, "upstream_rejected", "did not accept"),
    ("garbage", (200, b"<html>oops</html>", {"Content-Type": "text/html"}), 0.0, 502, "upstream_unexpected", "expect"),
    ("hangs", GOOD, 2.5, 504, "upstream_unreachable", "cannot reach OpenAI"),
]


@pytest.mark.parametrize(("case", "answer", "delay", "status", "code", "says"), CASES, ids=[c[0] for c in CASES])
def test_upstream_failure_is_a_clear_error_without_secrets(
    deployment: Deployment, scripted: ScriptedOpenAI, case: str, answer: tuple[int, bytes, dict[str, str]],
    delay: float, status: int, code: str, says: str
) -> None:
    scripted.answer, scripted.delay = answer, delay
    try:
        with deployment.client("gus") as client:
            response = client.post("/voice-therapist/session/start", json={"therapy_type": "general"})
    finally:
        scripted.delay = 0.0
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and says in error["message"]
    assert "sk-" not in response.text and "platform.openai.com" not in response.text and "oops" not in response.text
    if case == "quota":
        assert response.headers["Retry-After"] == "20"


def test_failed_starts_spend_no_daily_slot_and_the_request_is_the_servers(
    deployment: Deployment, scripted: ScriptedOpenAI
) -> None:
    scripted.answer = openai_error(500, "server_error")
    with deployment.client("gus") as client:
        for _ in range(3):
            assert client.post("/voice-therapist/session/start", json={"therapy_type": "stress"}).status_code == 503
        scripted.answer = GOOD
        statuses = [client.post("/voice-therapist/session/start", json={"therapy_type": "stress"}).status_code
                    for _ in range(3)]
    assert statuses == [200, 200, 429]
    sent = scripted.requests[-1]
    assert sent["path"] == "/v1/realtime/client_secrets"
    assert sent["authorization"] == f"Bearer {CLINIC_KEY}"
    assert sent["body"]["expires_after"] == {"anchor": "created_at", "seconds": 600}
    session = sent["body"]["session"]
    assert session["type"] == "realtime" and session["model"] == "gpt-realtime"
    assert set(session["audio"]["input"]) == {"transcription", "turn_detection", "noise_reduction"}


def test_the_log_names_the_failure_but_not_the_key_or_openais_words(deployment: Deployment) -> None:
    log = deployment.process.log()
    assert "HTTP 401, code invalid_api_key" in log
    assert CLINIC_KEY not in log and "sk-clin" not in log and "platform.openai.com" not in log
    assert deployment.tokens["gus"] not in log

