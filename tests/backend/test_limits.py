"""The clinic's limits, enforced in the database: per user per day, per token per minute, and
exactly under 50 concurrent starts against two instances on one PostgreSQL database."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from therapy_desktop.backend.db import make_engine
from tests.backend.conftest import new_database
from tests.backend.load import concurrent_starts
from tests.backend.processes import BackendProcess, EngineInThread, backend_cli, base_env, create_users_in_process

DAILY, PER_MINUTE = 3, 5


def limited(kind: str, request: pytest.FixtureRequest, where: Path, upstream: str, users: list[str],
            instances: int = 1) -> tuple[list[BackendProcess], dict[str, str], str]:
    database_url = new_database(kind, request, where)
    env = base_env(database_url, upstream, OPENAI_MAX_DAILY_SESSIONS=str(DAILY),
                   BACKEND_STARTS_PER_MINUTE=str(PER_MINUTE))
    assert backend_cli(env, "migrate", cwd=where).returncode == 0
    tokens = create_users_in_process(database_url, users)
    processes = []
    for _ in range(instances):
        process = BackendProcess(env, where).start()
        request.addfinalizer(process.stop)
        processes.append(process)
    return processes, tokens, database_url


def start(url: str, token: str) -> httpx.Response:
    return httpx.post(f"{url}/voice-therapist/session/start", json={"therapy_type": "general"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_daily_limit_then_per_token_rate_limit(request: pytest.FixtureRequest, tmp_path: Path,
                                               engine_upstream: EngineInThread) -> None:
    [backend], tokens, _ = limited("sqlite", request, tmp_path, engine_upstream.base_url, ["erin", "fay"])
    if time.time() % 60 > 54:  # the six calls below must share one per-minute window
        time.sleep(61 - time.time() % 60)
    answers = [start(backend.url, tokens["erin"]) for _ in range(PER_MINUTE + 1)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429, 429]

    daily = answers[3].json()["error"]
    assert daily["code"] == "daily_limit_reached"
    midnight = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    assert datetime.fromisoformat(daily["resets_at"]) == midnight
    assert f"today's {DAILY} sessions" in daily["message"] and midnight.strftime("%H:%M UTC on %Y-%m-%d") in daily["message"]
    assert 0 < int(answers[3].headers["Retry-After"]) <= 86400

    rate = answers[5].json()["error"]
    assert rate["code"] == "rate_limited" and "Try again in" in rate["message"]
    assert 0 < int(answers[5].headers["Retry-After"]) <= 60
    # Another person is not held back by erin's limits.
    assert start(backend.url, tokens["fay"]).status_code == 200


def test_fifty_concurrent_starts_from_ten_users_on_two_instances_hold_the_daily_cap_exactly(
    request: pytest.FixtureRequest, tmp_path: Path, engine_upstream: EngineInThread
) -> None:
    users = [f"user{n}" for n in range(10)]
    backends, tokens, database_url = limited("postgresql", request, tmp_path, engine_upstream.base_url, users,
                                             instances=2)
    per_user = PER_MINUTE  # 5 each: within the token rate, above the daily cap of 3
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    results = asyncio.run(concurrent_starts([b.url for b in backends], tokens, per_user))
    assert len(results) == 50
    outcomes = Counter((r.status, r.code) for r in results)
    assert outcomes == {(200, None): 10 * DAILY, (429, "daily_limit_reached"): 10 * (per_user - DAILY)}, outcomes
    assert {r.instance for r in results if r.status == 200} == {b.url for b in backends}
    engine = make_engine(database_url)
    with engine.connect() as db:
        per_user_rows = dict(db.execute(text(
            "SELECT u.name, count(s.id) FROM users u LEFT JOIN therapy_sessions s ON s.user_id = u.id GROUP BY u.name"
        )).all())
        counters = db.execute(text("SELECT count FROM daily_session_counts")).scalars().all()
    engine.dispose()
    assert per_user_rows == {user: DAILY for user in users}
    assert counters == [DAILY] * 10
