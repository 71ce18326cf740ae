"""Fixtures: real backend processes on loopback, on SQLite and on a throwaway PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.backend.processes import (
    BackendProcess,
    EngineInThread,
    PostgresCluster,
    base_env,
    postgres_bin_dir,
    setup_users,
)

USERS = ["alice", "bob", "carol"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        if os.environ.get("THERAPY_DESKTOP_REQUIRE_DEVICES"):
            pytest.fail("PostgreSQL is missing: install Debian's postgresql package (scripts/test does)")
        pytest.skip("PostgreSQL's server binaries are not installed (Debian package postgresql)")
    cluster = PostgresCluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def engine_upstream() -> Iterator[EngineInThread]:
    engine = EngineInThread().start()
    yield engine
    engine.stop()


def new_database(kind: str, request: pytest.FixtureRequest, where: Path) -> str:
    name = f"t_{uuid.uuid4().hex[:10]}"
    if kind == "sqlite":
        return f"sqlite:///{where / (name + '.db')}"
    return request.getfixturevalue("pg_cluster").create_database(name)


@dataclass
class Deployment:
    """A migrated database, users with one token each, and a backend process serving them."""

    url: str
    database_url: str
    tokens: dict[str, str]
    env: dict[str, str]
    process: BackendProcess
    cwd: Path

    def client(self, user: str | None = None, token: str | None = None) -> httpx.Client:
        headers = {}
        if user or token:
            headers["Authorization"] = f"Bearer {token or self.tokens[user or '']}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def deploy(kind: str, request: pytest.FixtureRequest, where: Path, upstream_url: str, users: list[str],
           **settings: str) -> Deployment:
    database_url = new_database(kind, request, where)
    env = base_env(database_url, upstream_url, **settings)
    tokens = setup_users(env, users, where)
    process = BackendProcess(env, where).start()
    request.addfinalizer(process.stop)
    return Deployment(process.url, database_url, tokens, env, process, where)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            engine_upstream: EngineInThread) -> Deployment:
    """Generous limits: the behaviour of each endpoint, not the limits, is under test.

    A folder of its own each time: pytest may finish a parametrised session fixture and set it up
    again later when the order of tests asks for it (pytest-xdist's file-by-file order did)."""
    where = tmp_path_factory.mktemp(f"main-{request.param}")
    return deploy(request.param, request, where, engine_upstream.base_url, USERS,
                  OPENAI_MAX_DAILY_SESSIONS="10000", BACKEND_STARTS_PER_MINUTE="10000")
