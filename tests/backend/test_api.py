"""The endpoints, through a real backend process on SQLite and on PostgreSQL, with the project's
engine standing in for OpenAI."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from therapy_desktop.backend import migrate, tokens
from therapy_desktop.backend.db import make_engine, session_factory
from therapy_desktop.backend.models import User
from therapy_desktop.therapy import tool_definitions
from tests.backend.conftest import Deployment
from tests.backend.processes import CLINIC_KEY, EngineInThread, backend_cli


def start(client: httpx.Client, therapy_type: str = "anxiety", mood_before: int | None = 4) -> httpx.Response:
    return client.post("/voice-therapist/session/start", json={"therapy_type": therapy_type, "mood_before": mood_before})


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"].endswith("."), body
    return body["error"]


def test_health_needs_no_token(backend: Deployment) -> None:
    with backend.client() as client:
        answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok"}


def test_start_returns_the_desktop_contract_with_a_key_minted_on_the_servers_config(
    backend: Deployment, engine_upstream: EngineInThread
) -> None:
    with backend.client("alice") as client:
        answer = start(client)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"session_id", "client_secret", "expires_at", "therapy_type", "start_time"}
    assert body["client_secret"]["value"].startswith("ek_")
    assert body["client_secret"]["expires_at"] == body["expires_at"] > time.time()
    assert body["therapy_type"] == "anxiety"
    started = datetime.fromisoformat(body["start_time"])
    assert abs((datetime.now(UTC) - started).total_seconds()) < 60
    assert answer.headers["cache-control"] == "no-store"
    # The stand-in OpenAI minted it for the session the server built: instructions, tools, voice.
    minted = engine_upstream.engine._secrets[body["client_secret"]["value"]].session
    assert "You are an AI" in minted["instructions"] and "988" in minted["instructions"]
    assert "anxiety" in minted["instructions"]
    assert [t["name"] for t in minted["tools"]] == [t["name"] for t in tool_definitions()]  # the desktop's tools
    assert minted["audio"]["input"]["transcription"]["model"] and minted["audio"]["output"]["voice"] == "marin"
    # The key itself is never stored.
    with make_engine(backend.database_url).connect() as db:
        row = db.execute(text("SELECT * FROM therapy_sessions WHERE id = :id"), {"id": body["session_id"]}).mappings().one()
    assert body["client_secret"]["value"] not in str(dict(row))
    assert row["realtime_session_id"].startswith("sess_")
    assert row["status"] == "active" and row["mood_before"] == 4 and row["ephemeral_key_expires_at"] is not None


def test_end_records_summary_mood_and_duration_and_is_idempotent(backend: Deployment) -> None:
    with backend.client("alice") as client:
        session_id = start(client, "stress", 3).json()["session_id"]
        ended = client.post(f"/voice-therapist/session/{session_id}/end",
                            json={"session_summary": "Talked about deadlines.", "mood_after": 6})
        again = client.post(f"/voice-therapist/session/{session_id}/end",
                            json={"session_summary": "A replayed end must not overwrite.", "mood_after": 1})
    assert ended.status_code == 200, ended.text
    record = ended.json()
    assert record["status"] == "completed"
    assert record["session_summary"] == "Talked about deadlines." and record["mood_after"] == 6
    assert record["duration_seconds"] is not None and 0 <= record["duration_seconds"] < 60
    assert again.status_code == 200 and again.json() == record


def test_history_is_own_and_newest_first(backend: Deployment) -> None:
    with backend.client("bob") as bob:
        first = start(bob, "general").json()["session_id"]
        second = start(bob, "anxiety").json()["session_id"]
        mine = bob.get("/voice-therapist/sessions").json()["sessions"]
    ids = [s["session_id"] for s in mine]
    assert ids.index(second) < ids.index(first)
    with backend.client("alice") as alice:
        theirs = [s["session_id"] for s in alice.get("/voice-therapist/sessions").json()["sessions"]]
    assert first not in theirs and second not in theirs


def test_another_users_session_and_an_unknown_one_are_404(backend: Deployment) -> None:
    with backend.client("bob") as bob:
        bobs = start(bob).json()["session_id"]
    with backend.client("alice") as alice:
        for session_id in (bobs, "no-such-session", "0" * 64):
            answer = alice.post(f"/voice-therapist/session/{session_id}/end", json={})
            assert answer.status_code == 404, answer.text
            assert error_of(answer)["code"] == "session_not_found"
    with backend.client("bob") as bob:  # and bob's session is untouched
        record = next(s for s in bob.get("/voice-therapist/sessions").json()["sessions"] if s["session_id"] == bobs)
    assert record["status"] == "active"


def test_a_session_ended_past_the_maximum_duration_is_marked(backend: Deployment) -> None:
    with backend.client("alice") as client:
        session_id = start(client).json()["session_id"]
        engine = make_engine(backend.database_url)
        with engine.begin() as db:  # as if it had started 31 minutes ago (the maximum is 30)
            db.execute(text("UPDATE therapy_sessions SET start_time = :t WHERE id = :id"),
                       {"t": datetime.now(UTC) - timedelta(minutes=31), "id": session_id})
        engine.dispose()
        record = client.post(f"/voice-therapist/session/{session_id}/end", json={"mood_after": 5}).json()
    assert record["status"] == "exceeded_max_duration"
    assert 31 * 60 <= record["duration_seconds"] < 32 * 60


def test_every_bad_token_is_a_clear_401(backend: Deployment) -> None:
    good = backend.tokens["alice"]
    engine = make_engine(backend.database_url)
    secret = migrate.stored_signing_secret(engine)
    assert secret
    with session_factory(engine)() as db:
        alice = db.query(User).filter_by(name="alice").one()
        expired = tokens.issue_token(db, secret, alice, expires_at=datetime.now(UTC) - timedelta(seconds=5)).token
    engine.dispose()
    prefix, token_id, expires, signature = good.split(".")
    cases = {
        None: "token_missing",
        "not-a-token": "token_malformed",
        f"{prefix}.{token_id}.{int(expires) + 1}.{signature}": "token_forged",  # a longer life, same signature
        f"{prefix}.{'f' * 32}.{expires}.{signature}": "token_forged",
        expired: "token_expired",
    }
    for token, code in cases.items():
        with backend.client(token=token) if token else backend.client() as client:
            answer = start(client)
            listed = client.get("/voice-therapist/sessions")
        assert answer.status_code == 401 and listed.status_code == 401, (code, answer.text)
        assert error_of(answer)["code"] == code
        assert answer.headers["www-authenticate"] == "Bearer"
        if token:
            assert token not in answer.text


def test_a_revoked_token_stops_working_at_once(backend: Deployment) -> None:
    issued = backend_cli(backend.env, "issue-token", "carol", cwd=backend.cwd)
    token = issued.stdout.strip().splitlines()[-1]
    with backend.client(token=token) as client:
        assert client.get("/voice-therapist/sessions").status_code == 200
        revoked = backend_cli(backend.env, "revoke-token", token, cwd=backend.cwd)
        assert revoked.returncode == 0, revoked.stderr
        answer = client.get("/voice-therapist/sessions")
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "token_revoked"
    assert "revoked" in error_of(answer)["message"]
    with backend.client("carol") as other:  # carol's other token still works
        assert other.get("/voice-therapist/sessions").status_code == 200


def test_bad_bodies_are_clear_4xx(backend: Deployment) -> None:
    with backend.client("alice") as client:
        unknown_type = start(client, "hypnosis")
        bad_mood = start(client, "general", 11)
        extra = client.post("/voice-therapist/session/start", json={"therapy_type": "general", "instructions": "x"})
        not_json = client.post("/voice-therapist/session/start", content=b"{nope",
                               headers={"Content-Type": "application/json"})
        oversized = client.post("/voice-therapist/session/start",
                                json={"therapy_type": "general", "pad": "x" * 40_000})
        chunked = client.post("/voice-therapist/session/start", content=(b"x" * 4096 for _ in range(10)),
                              headers={"Content-Type": "application/json"})  # no Content-Length to trust
        wrong_method = client.get("/voice-therapist/session/start")
        nowhere = client.get("/voice-therapist/nothing-here")
    assert unknown_type.status_code == 422 and "therapy_type" in error_of(unknown_type)["message"]
    assert bad_mood.status_code == 422 and "mood_before" in error_of(bad_mood)["message"]
    assert extra.status_code == 422 and "instructions" in error_of(extra)["message"]  # no overriding the server
    assert not_json.status_code == 422 and error_of(not_json)["code"] == "invalid_request"
    assert oversized.status_code == 413 and error_of(oversized)["code"] == "body_too_large"
    assert "content-length" not in chunked.request.headers
    assert chunked.status_code == 413 and error_of(chunked)["code"] == "body_too_large"
    assert wrong_method.status_code == 405 and nowhere.status_code == 404


def test_cors_is_closed(backend: Deployment) -> None:
    with backend.client() as client:
        preflight = client.options("/voice-therapist/session/start", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        health = client.get("/health", headers={"Origin": "https://evil.example"})
    assert preflight.status_code == 405
    for answer in (preflight, health):
        assert not any(h.lower().startswith("access-control-") for h in answer.headers)


def test_the_log_holds_no_token_and_no_key(backend: Deployment) -> None:
    with backend.client("alice") as client:
        key = start(client).json()["client_secret"]["value"]
    log = backend.process.log()
    assert "POST /voice-therapist/session/start" in log  # the access log is there
    for secret in [*backend.tokens.values(), CLINIC_KEY, key]:
        assert secret not in log
