"""The schema is versioned from the first release: a fresh file, and one the first release wrote."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from therapy_desktop.storage import HistoryTooNew, HistoryUnreadable, ItemKind, ItemStatus, SessionStatus, SessionStore
from therapy_desktop.storage.schema import LATEST_VERSION, V1_STATEMENTS, migrate, schema_version


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_fresh_file_is_at_the_latest_version_in_wal_with_incremental_vacuum(store: SessionStore) -> None:
    with sqlite3.connect(store.path) as connection:
        assert schema_version(connection) == LATEST_VERSION == 2
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    assert {"sessions", "items", "session_calls", "session_flags"} <= _tables(store.path)
    assert store.list_sessions() == []


def test_the_data_folder_and_file_are_private(store: SessionStore) -> None:
    assert store.path.parent.stat().st_mode & 0o777 == 0o700
    assert store.path.stat().st_mode & 0o777 == 0o600


def _first_release_file(path: Path) -> None:
    """What the first release (schema v1) would have left on a person's disk, with its own DDL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    for statement in V1_STATEMENTS:
        connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    connection.execute(
        "INSERT INTO sessions (id, therapy_type, mode, started_at, ended_at, call_id, key_expires_at, summary, "
        "mood_before, mood_after, status, end_reason, input_tokens, output_tokens, total_tokens) "
        "VALUES ('s-old', 'anxiety', 'openai', 1000.0, 1600.0, 'rtc_first', 1060.0, 'We talked about exams.', "
        "3, 6, 'ended', 'summary', 100, 200, 300)"
    )
    connection.execute(
        "INSERT INTO sessions (id, therapy_type, mode, started_at, status) VALUES ('s-live', 'general', 'demo', 2000.0, 'active')"
    )
    rows = [
        ("s-old", "i1", 0, "user", "I keep worrying about my exams.", 0, None, 1001.0),
        ("s-old", "i2", 1, "assistant", "That sounds heavy. Let us take it one step", 1, None, 1002.0),
        ("s-old", "i3", 2, None, "", 0, json.dumps({"name": "breathing_exercise", "title": "Box breathing"}), 1003.0),
        ("s-live", "j1", 0, "user", "Hello there.", 0, None, 2001.0),
    ]
    connection.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.close()


def test_a_first_release_file_is_upgraded_with_everything_in_it(db_path: Path) -> None:
    _first_release_file(db_path)
    store = SessionStore.open(db_path)
    try:
        old = store.get_session("s-old")
        assert old is not None
        assert (old.therapy_type, old.mode, old.status, old.end_reason) == ("anxiety", "openai", SessionStatus.ENDED, "summary")
        assert (old.started_at, old.ended_at, old.mood_before, old.mood_after) == (1000.0, 1600.0, 3, 6)
        assert [(c.call_id, c.key_expires_at) for c in old.calls] == [("rtc_first", 1060.0)]
        assert old.summary is not None and old.summary.summary == "We talked about exams."
        assert old.usage.total_tokens == 300 and old.flags == ()
        items = store.items("s-old")
        assert [(i.item_id, i.kind, i.status) for i in items] == [
            ("i1", ItemKind.MESSAGE, ItemStatus.COMPLETED),
            ("i2", ItemKind.MESSAGE, ItemStatus.INTERRUPTED),
            ("i3", ItemKind.TOOL, ItemStatus.COMPLETED),
        ]
        assert items[2].tool_card == {"name": "breathing_exercise", "title": "Box breathing"}
        # The first release had no owner: its live session is a crash now.
        assert store.recovered == ("s-live",)
        assert store.get_session("s-live").status is SessionStatus.INTERRUPTED
        # The rebuilt tables kept their references: a delete still cascades.
        assert store.delete_session("s-old").result() is True
        assert store.items("s-old") == []
    finally:
        store.close()
    with sqlite3.connect(db_path) as connection:
        assert schema_version(connection) == LATEST_VERSION
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # given on upgrade (one VACUUM)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(sessions)")}
    assert "call_id" not in columns and "key_expires_at" not in columns  # never the key, nor a lone call id


def test_a_failing_step_leaves_the_file_at_the_version_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from therapy_desktop.storage import schema

    path = tmp_path / "h.sqlite3"
    _first_release_file(path)

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk went away")

    monkeypatch.setattr(schema, "STEPS", (schema.STEPS[0], schema.Step(2, broken)))
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, path)
    assert schema_version(connection) == 1
    assert "half_done" not in _tables(path)
    connection.close()


def test_a_file_from_a_newer_version_is_refused_not_downgraded(db_path: Path) -> None:
    SessionStore.open(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryTooNew, match="newer version"):
        SessionStore.open(db_path)


def test_a_file_that_is_not_a_database_is_a_clear_error(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryUnreadable, match="cannot be read"):
        SessionStore.open(db_path)
