"""The database going away under a running backend: a clear 503, not a 500 or a hang."""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg
import pytest

from tests.backend.processes import (
    BackendProcess,
    EngineInThread,
    PostgresCluster,
    backend_cli,
    base_env,
    create_users_in_process,
)


def test_a_lost_database_is_a_503_that_says_so(pg_cluster: PostgresCluster, tmp_path: Path,
                                              engine_upstream: EngineInThread,
                                              request: pytest.FixtureRequest) -> None:
    database_url = pg_cluster.create_database("going_away")
    env = base_env(database_url, engine_upstream.base_url)
    assert backend_cli(env, "migrate", cwd=tmp_path).returncode == 0
    token = create_users_in_process(database_url, ["ivy"])["ivy"]
    backend = BackendProcess(env, tmp_path).start()
    request.addfinalizer(backend.stop)
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{backend.url}/voice-therapist/sessions", headers=headers).status_code == 200

    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as admin:
        admin.execute('DROP DATABASE "going_away" WITH (FORCE)')

    for path in ("/voice-therapist/sessions", "/health"):
        answer = httpx.get(f"{backend.url}{path}", headers=headers, timeout=30)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "database_unavailable"
        assert "cannot reach its database" in answer.json()["error"]["message"]
