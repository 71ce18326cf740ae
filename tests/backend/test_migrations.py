"""Alembic from the first revision, on SQLite and PostgreSQL: from empty, and the original design's
migration upgrading a sessions table that already has rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from therapy_desktop.backend import migrate
from therapy_desktop.backend.db import make_engine
from therapy_desktop.backend.models import Base
from tests.backend.conftest import new_database
from tests.backend.processes import backend_cli, base_env


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = new_database(request.param, request, tmp_path)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def test_from_empty_to_head_matches_the_models(database: tuple[str, Engine]) -> None:
    url, engine = database
    migrate.upgrade(url)
    assert migrate.schema_revision(engine) == migrate.head_revision() == "0002"
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_original_migration_back_fills_rows_and_makes_the_id_required(database: tuple[str, Engine]) -> None:
    url, engine = database
    migrate.upgrade(url, "0001")
    columns = {c["name"] for c in inspect(engine).get_columns("therapy_sessions")}
    assert "realtime_session_id" not in columns and "ephemeral_key_expires_at" not in columns
    now = datetime.now(UTC)
    with engine.begin() as db:
        db.execute(text("INSERT INTO users (name, created_at) VALUES ('dana', :now)"), {"now": now})
        for n in range(3):
            db.execute(text(
                "INSERT INTO therapy_sessions (id, user_id, therapy_type, start_time, end_time, duration_seconds,"
                " session_summary, mood_before, mood_after, status) VALUES (:id, 1, 'general', :now, :now, 60,"
                " 'before the migration', 3, 5, 'completed')"), {"id": f"old-{n}", "now": now})

    migrate.upgrade(url)

    with engine.connect() as db:
        rows = db.execute(text("SELECT id, realtime_session_id, ephemeral_key_expires_at, session_summary, mood_after "
                               "FROM therapy_sessions ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(f"old-{n}", f"legacy-old-{n}", None, "before the migration", 5) for n in range(3)]
    realtime_id = next(c for c in inspect(engine).get_columns("therapy_sessions") if c["name"] == "realtime_session_id")
    assert realtime_id["nullable"] is False
    with pytest.raises(IntegrityError), engine.begin() as db:
        db.execute(text("INSERT INTO therapy_sessions (id, user_id, therapy_type, start_time, status) "
                        "VALUES ('new', 1, 'general', :now, 'active')"), {"now": now})

    command.downgrade(migrate.alembic_config(url), "0001")  # the way back works too
    assert "realtime_session_id" not in {c["name"] for c in inspect(engine).get_columns("therapy_sessions")}
    with engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM therapy_sessions")).scalar() == 3


def test_the_cli_migrates_stores_a_secret_once_and_serve_refuses_an_old_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    env = base_env(url, "http://127.0.0.1:9/v1")
    migrate.upgrade(url, "0001")
    refused = backend_cli(env, "serve", "--port", "0", cwd=tmp_path)
    assert refused.returncode == 1
    assert "schema is at revision 0001" in refused.stderr and "migrate" in refused.stderr
    first = backend_cli(env, "migrate", cwd=tmp_path)
    second = backend_cli(env, "migrate", cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "generated the token-signing secret" in first.stdout
    assert "generated" not in second.stdout
    engine = make_engine(url)
    with engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM backend_secrets")).scalar() == 1
    engine.dispose()


def test_settings_come_from_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    env = base_env("unused", "http://127.0.0.1:9/v1")
    del env["DATABASE_URL"]
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-dotenv.db'}\n")
    done = backend_cli(env, "migrate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-dotenv.db").exists()
