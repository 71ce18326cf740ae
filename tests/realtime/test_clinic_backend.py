"""The desktop's Clinic backend provider against the real backend process on loopback (the
project's engine standing in for OpenAI): keys, ends, the queue, and every error a person sees."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from therapy_desktop.realtime.clinic_backend import ClinicBackendKeyProvider, EndOutcome, check_backend_url
from therapy_desktop.realtime.errors import (
    AuthenticationFailed,
    CredentialsMissing,
    NetworkUnreachable,
    RateLimited,
    RealtimeError,
    ServiceRequestFailed,
)
from tests.backend.processes import (
    CLINIC_KEY,
    BackendProcess,
    EngineInThread,
    backend_cli,
    base_env,
    create_users_in_process,
    free_port,
)

DAILY = 3
USERS = ["ana", "ben", "cy", "dot", "eve"]


@pytest.fixture(scope="module")
def engine_upstream() -> Iterator[EngineInThread]:
    engine = EngineInThread().start()
    yield engine
    engine.stop()


class Clinic:
    def __init__(self, where: Path, upstream: str) -> None:
        self.where = where
        self.env = base_env(f"sqlite:///{where / 'clinic.db'}", upstream, OPENAI_MAX_DAILY_SESSIONS=str(DAILY))
        assert backend_cli(self.env, "migrate", cwd=where).returncode == 0
        self.tokens = create_users_in_process(self.env["DATABASE_URL"], USERS)
        self.process = BackendProcess(self.env, where, port=free_port()).start()
        self.url = self.process.url

    def history(self, user: str) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/voice-therapist/sessions",
                           headers={"Authorization": f"Bearer {self.tokens[user]}"}, timeout=10)
        return answer.json()["sessions"]

    def restart(self) -> None:
        self.process = BackendProcess(self.env, self.where, port=self.process.port).start()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory, engine_upstream: EngineInThread) -> Iterator[Clinic]:
    clinic = Clinic(tmp_path_factory.mktemp("clinic"), engine_upstream.base_url)
    yield clinic
    clinic.process.stop()


def provider(url: str, token: str | None, queue: Path, **kwargs: Any) -> ClinicBackendKeyProvider:
    async def read_token() -> str | None:
        return token

    return ClinicBackendKeyProvider(url, read_token, "anxiety", 4, "http://127.0.0.1:1/v1", queue, **kwargs)


async def test_mint_returns_a_key_for_the_realtime_api_and_end_is_recorded(
    clinic: Clinic, engine_upstream: EngineInThread, tmp_path: Path
) -> None:
    p = provider(clinic.url, clinic.tokens["ana"], tmp_path / "queue.json")
    async with httpx.AsyncClient() as http:
        key = await p.mint(http, {"instructions": "ignored: the backend builds the session"})
        assert key.base_url == "http://127.0.0.1:1/v1" and key.value.startswith("ek_")
        assert key.value in engine_upstream.engine._secrets  # minted by the stand-in OpenAI
        assert p.backend_session_id and p.started and p.started.therapy_type == "anxiety"
        session_id = p.backend_session_id
        assert await p.end(http, "We practised box breathing.", 7) is EndOutcome.RECORDED
        assert await p.end(http, "again", 7) is EndOutcome.NOTHING_TO_END
    [record] = [s for s in clinic.history("ana") if s["session_id"] == session_id]
    assert record["status"] == "completed" and record["mood_before"] == 4 and record["mood_after"] == 7
    assert record["session_summary"] == "We practised box breathing."
    assert not (tmp_path / "queue.json").exists()


async def test_an_end_while_the_backend_restarts_is_retried_until_it_is_back(clinic: Clinic, tmp_path: Path) -> None:
    p = provider(clinic.url, clinic.tokens["ben"], tmp_path / "queue.json")
    async with httpx.AsyncClient() as http:
        await p.mint(http, {})
        session_id = p.backend_session_id
        clinic.process.stop()
        ending = asyncio.ensure_future(p.end(http, "Back after a restart.", 6))
        await asyncio.sleep(0.5)
        await asyncio.to_thread(clinic.restart)
        assert await ending is EndOutcome.RECORDED
    assert any(s["session_id"] == session_id and s["status"] == "completed" for s in clinic.history("ben"))


async def test_an_end_the_backend_cannot_take_is_queued_then_sent_on_the_next_start(
    clinic: Clinic, tmp_path: Path
) -> None:
    queue = tmp_path / "pending-ends.json"
    p = provider(clinic.url, clinic.tokens["cy"], queue, end_retry_seconds=1.0)
    async with httpx.AsyncClient() as http:
        await p.mint(http, {})
        first = p.backend_session_id
        clinic.process.stop()
        try:
            assert await p.end(http, "Queued while the server was down.", 5) is EndOutcome.QUEUED
        finally:
            await asyncio.to_thread(clinic.restart)
        stored = json.loads(queue.read_text())
        assert [e["session_id"] for e in stored["pending"]] == [first]
        assert clinic.tokens["cy"] not in queue.read_text() and "Bearer" not in queue.read_text()
        # The next start delivers it.
        later = provider(clinic.url, clinic.tokens["cy"], queue)
        await later.mint(http, {})
    assert json.loads(queue.read_text())["pending"] == []
    [record] = [s for s in clinic.history("cy") if s["session_id"] == first]
    assert record["status"] == "completed" and record["session_summary"] == "Queued while the server was down."


async def test_the_daily_limit_says_when_it_resets(clinic: Clinic, tmp_path: Path) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(DAILY):
            await provider(clinic.url, clinic.tokens["dot"], tmp_path / "q.json").mint(http, {})
        with pytest.raises(RateLimited) as caught:
            await provider(clinic.url, clinic.tokens["dot"], tmp_path / "q.json").mint(http, {})
    assert "used all of today's sessions" in str(caught.value) and "You can start a new one after" in str(caught.value)
    assert caught.value.retryable is False


async def test_a_revoked_a_forged_and_a_missing_token_are_explained(clinic: Clinic, tmp_path: Path) -> None:
    issued = backend_cli(clinic.env, "issue-token", "eve", cwd=clinic.where).stdout.strip().splitlines()[-1]
    assert backend_cli(clinic.env, "revoke-token", issued, cwd=clinic.where).returncode == 0
    forged = issued[:-4] + "AAAA"
    async with httpx.AsyncClient() as http:
        for token, says in [(issued, "revoked"), (forged, "not valid")]:
            with pytest.raises(AuthenticationFailed) as caught:
                await provider(clinic.url, token, tmp_path / "q.json").mint(http, {})
            message = str(caught.value)
            assert "did not accept your clinic token" in message and says in message
            assert token not in message + caught.value.detail
        with pytest.raises(CredentialsMissing) as missing:
            await provider(clinic.url, None, tmp_path / "q.json").mint(http, {})
    assert "No clinic token is set" in str(missing.value)


async def test_a_backend_that_is_down_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with httpx.AsyncClient() as http:
        with pytest.raises(NetworkUnreachable) as caught:
            await provider(url, "tdb1.secret", tmp_path / "q.json").mint(http, {})
    assert "did not answer" in str(caught.value) and url.removeprefix("http://") in str(caught.value)
    assert "tdb1.secret" not in str(caught.value)


def test_https_is_required_except_for_this_computer() -> None:
    for ok in ("https://clinic.example.org/", "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        assert check_backend_url(ok) == ok.rstrip("/")
    with pytest.raises(RealtimeError) as caught:
        check_backend_url("http://user:pw@clinic.example.org/api")
    assert "must start with https://" in str(caught.value) and "pw" not in str(caught.value)
    with pytest.raises(RealtimeError, match="not a web address"):
        check_backend_url("clinic.example.org")


# -- a backend in trouble: 5xx answers, from a small stand-in on loopback ---------------------------

class FlakyBackend:
    """Answers the end with 503 `failures` times, then 200; the start with `start_status`."""

    def __init__(self, failures: int, start_status: int = 200, start_body: dict[str, Any] | None = None) -> None:
        self.failures, self.ends = failures, 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path.endswith("/end"):
                    outer.ends += 1
                    status, body = (503, {"error": {"code": "x", "message": "Busy."}}) if outer.ends <= outer.failures \
                        else (200, {})
                else:
                    status, body = start_status, start_body or {}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_a_transient_5xx_on_end_is_retried_at_once(tmp_path: Path) -> None:
    flaky = FlakyBackend(failures=2)
    try:
        p = provider(flaky.url, "tdb1.x", tmp_path / "q.json")
        p.backend_session_id = "s-1"
        async with httpx.AsyncClient() as http:
            assert await p.end(http, None, None) is EndOutcome.RECORDED
        assert flaky.ends == 3
    finally:
        flaky.stop()


async def test_a_5xx_on_start_is_a_retryable_error_with_the_backends_sentence(tmp_path: Path) -> None:
    sentence = "OpenAI is having problems right now. Try again in a minute."
    flaky = FlakyBackend(0, 503, {"error": {"code": "upstream_unavailable", "message": sentence}})
    try:
        async with httpx.AsyncClient() as http:
            with pytest.raises(ServiceRequestFailed) as caught:
                await provider(flaky.url, "tdb1.x", tmp_path / "q.json").mint(http, {})
    finally:
        flaky.stop()
    assert str(caught.value) == sentence and caught.value.retryable and caught.value.status == 503
    assert CLINIC_KEY not in str(caught.value)
