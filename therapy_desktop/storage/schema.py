"""The schema, versioned from the first release: ordered steps, `PRAGMA user_version` says how far a file is.

Each step runs in one transaction together with the bump of `user_version`, so a file is
always at exactly one version: a crash mid-upgrade leaves it at the previous one, and the next
start runs the step again. Steps never change once released; a change is a new step.

- v1, the first release: sessions with one call id and the key's expiry, a prose summary,
  usage; items with an interrupted flag.
- v2: a session has several calls (reconnects keep every call id); flags (a crisis is sticky);
  the summary becomes structured fields (JSON); estimated cost; the owner lease that tells a
  crashed session from a live one in another process; items gain a kind (message, tool,
  notice), a status instead of the flag, and the id of the call they were said in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from therapy_desktop.storage.errors import HistoryTooNew

V1_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        therapy_type TEXT NOT NULL,
        mode TEXT NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL,
        call_id TEXT,
        key_expires_at REAL,
        summary TEXT,
        mood_before INTEGER CHECK (mood_before BETWEEN 1 AND 10),
        mood_after INTEGER CHECK (mood_after BETWEEN 1 AND 10),
        status TEXT NOT NULL CHECK (status IN ('created', 'active', 'ended', 'error', 'interrupted')),
        end_reason TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        total_tokens INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
    """CREATE TABLE items (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        role TEXT,
        text TEXT NOT NULL DEFAULT '',
        interrupted INTEGER NOT NULL DEFAULT 0,
        tool_card TEXT,
        created_at REAL NOT NULL,
        PRIMARY KEY (session_id, item_id)
    )""",
    "CREATE INDEX items_in_order ON items (session_id, position)",
)

V2_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE sessions_v2 (
        id TEXT PRIMARY KEY,
        therapy_type TEXT NOT NULL,
        mode TEXT NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL,
        summary_json TEXT,
        mood_before INTEGER CHECK (mood_before BETWEEN 1 AND 10),
        mood_after INTEGER CHECK (mood_after BETWEEN 1 AND 10),
        status TEXT NOT NULL CHECK (status IN ('created', 'active', 'ended', 'error', 'interrupted')),
        end_reason TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        total_tokens INTEGER NOT NULL DEFAULT 0,
        estimated_cost_usd REAL,
        owner TEXT
    )""",
    """INSERT INTO sessions_v2 (id, therapy_type, mode, started_at, ended_at, summary_json, mood_before,
                                mood_after, status, end_reason, input_tokens, output_tokens, total_tokens)
       SELECT id, therapy_type, mode, started_at, ended_at,
              CASE WHEN summary IS NULL OR summary = '' THEN NULL ELSE json_object('summary', summary) END,
              mood_before, mood_after, status, end_reason, input_tokens, output_tokens, total_tokens
       FROM sessions""",
    """CREATE TABLE session_calls (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        call_id TEXT NOT NULL,
        started_at REAL NOT NULL,
        key_expires_at REAL,
        ended_at REAL,
        PRIMARY KEY (session_id, call_id)
    )""",
    """INSERT INTO session_calls (session_id, call_id, started_at, key_expires_at)
       SELECT id, call_id, started_at, key_expires_at FROM sessions WHERE call_id IS NOT NULL""",
    """CREATE TABLE session_flags (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        flag TEXT NOT NULL,
        raised_at REAL NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (session_id, flag)
    )""",
    "CREATE INDEX flags_by_time ON session_flags (flag, raised_at)",
    """CREATE TABLE items_v2 (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        role TEXT,
        text TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'tool', 'notice')),
        status TEXT NOT NULL DEFAULT 'completed',
        tool_card TEXT,
        call_id TEXT,
        created_at REAL NOT NULL,
        PRIMARY KEY (session_id, item_id)
    )""",
    """INSERT INTO items_v2 (session_id, item_id, position, role, text, kind, status, tool_card, created_at)
       SELECT session_id, item_id, position, role, text,
              CASE WHEN tool_card IS NOT NULL THEN 'tool' ELSE 'message' END,
              CASE WHEN interrupted THEN 'interrupted' ELSE 'completed' END,
              tool_card, created_at
       FROM items""",
    # Dropping a table a foreign key points at is safe here: migrate() turns enforcement off around the
    # steps and runs foreign_key_check before each commit (the rebuild recipe of sqlite.org/lang_altertable).
    "DROP TABLE items",
    "DROP TABLE sessions",
    "ALTER TABLE sessions_v2 RENAME TO sessions",
    "ALTER TABLE items_v2 RENAME TO items",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
    "CREATE INDEX sessions_by_status ON sessions (status)",
    "CREATE INDEX items_in_order ON items (session_id, position)",
)


@dataclass(frozen=True)
class Step:
    version: int  # user_version after the step
    apply: Callable[[sqlite3.Connection], None]


def _statements(statements: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    def apply(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return apply


STEPS: tuple[Step, ...] = (
    Step(1, _statements(V1_STATEMENTS)),
    Step(2, _statements(V2_STATEMENTS)),
)
LATEST_VERSION = STEPS[-1].version


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, path: Path, *, target: int = LATEST_VERSION) -> list[int]:
    """Bring the file up to `target`, one transaction per step; returns the versions applied.

    `connection` must be in autocommit mode (isolation_level=None): transactions are explicit.
    """
    found = schema_version(connection)
    if found > LATEST_VERSION:
        raise HistoryTooNew(path, found, LATEST_VERSION)
    applied: list[int] = []
    pending = [step for step in STEPS if found < step.version <= target]
    if not pending:
        return applied
    if found == 0:
        # Must precede the first table; lets a delete give freed pages back (see store.delete_session).
        connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
    connection.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, so before BEGIN
    try:
        for step in pending:
            connection.execute("BEGIN IMMEDIATE")
            try:
                step.apply(connection)
                broken = connection.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(f"schema step {step.version} broke {len(broken)} references")
                connection.execute(f"PRAGMA user_version = {int(step.version)}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            applied.append(step.version)
    finally:
        connection.execute("PRAGMA foreign_keys = ON")
    return applied
