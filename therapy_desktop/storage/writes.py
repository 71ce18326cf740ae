"""Writing the history: one function per change, each run by the writer thread inside its transaction."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable

from therapy_desktop.storage.errors import UnknownSession

log = logging.getLogger(__name__)
from therapy_desktop.storage.records import EndReason, ItemRecord, SessionStatus, SummaryRecord, Usage


def _require(connection: sqlite3.Connection, session_id: str) -> None:
    if connection.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise UnknownSession(session_id)


def _update(connection: sqlite3.Connection, session_id: str, assignments: str, params: tuple[object, ...]) -> None:
    cursor = connection.execute(f"UPDATE sessions SET {assignments} WHERE id = ?", (*params, session_id))
    if cursor.rowcount == 0:
        raise UnknownSession(session_id)


def create_session(
    connection: sqlite3.Connection,
    session_id: str,
    therapy_type: str,
    mode: str,
    started_at: float,
    mood_before: int | None,
    owner: str,
) -> str:
    connection.execute(
        "INSERT INTO sessions (id, therapy_type, mode, started_at, mood_before, status, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (session_id, therapy_type, mode, started_at, mood_before, SessionStatus.CREATED.value, owner),
    )
    return session_id


def set_status(connection: sqlite3.Connection, session_id: str, status: SessionStatus) -> None:
    _update(connection, session_id, "status = ?", (status.value,))


def add_call(
    connection: sqlite3.Connection, session_id: str, call_id: str, started_at: float, key_expires_at: float | None
) -> None:
    _require(connection, session_id)
    connection.execute(
        "INSERT INTO session_calls (session_id, call_id, started_at, key_expires_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (session_id, call_id) DO UPDATE SET key_expires_at = excluded.key_expires_at",
        (session_id, call_id, started_at, key_expires_at),
    )


def end_call(connection: sqlite3.Connection, session_id: str, call_id: str, ended_at: float) -> None:
    cursor = connection.execute(
        "UPDATE session_calls SET ended_at = ? WHERE session_id = ? AND call_id = ?", (ended_at, session_id, call_id)
    )
    if cursor.rowcount == 0:
        raise UnknownSession(session_id)


def add_item(connection: sqlite3.Connection, item: ItemRecord) -> None:
    """An upsert: the same item written again (a late final transcript, a status change) replaces it."""
    _require(connection, item.session_id)
    connection.execute(
        "INSERT INTO items (session_id, item_id, position, role, text, kind, status, tool_card, call_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (session_id, item_id) DO UPDATE SET position = excluded.position, role = excluded.role, "
        "text = excluded.text, kind = excluded.kind, status = excluded.status, tool_card = excluded.tool_card, "
        "call_id = COALESCE(excluded.call_id, items.call_id)",
        (
            item.session_id,
            item.item_id,
            item.position,
            item.role,
            item.text,
            item.kind.value,
            item.status.value,
            json.dumps(dict(item.tool_card), ensure_ascii=False) if item.tool_card is not None else None,
            item.call_id,
            item.created_at,
        ),
    )


def add_usage(connection: sqlite3.Connection, session_id: str, usage: Usage, cost_usd: float | None) -> None:
    _update(
        connection,
        session_id,
        "input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, total_tokens = total_tokens + ?, "
        "estimated_cost_usd = CASE WHEN ? IS NULL THEN estimated_cost_usd ELSE COALESCE(estimated_cost_usd, 0) + ? END",
        (usage.input_tokens, usage.output_tokens, usage.total_tokens, cost_usd, cost_usd),
    )


def forget_cost(connection: sqlite3.Connection, session_id: str) -> None:
    _update(connection, session_id, "estimated_cost_usd = NULL", ())


def set_summary(connection: sqlite3.Connection, session_id: str, summary: SummaryRecord | None) -> None:
    text = json.dumps(summary.to_json(), ensure_ascii=False) if summary is not None else None
    _update(connection, session_id, "summary_json = ?", (text,))


def set_mood(connection: sqlite3.Connection, session_id: str, column: str, value: int | None) -> None:
    assert column in ("mood_before", "mood_after")
    _update(connection, session_id, f"{column} = ?", (value,))


def add_flag(connection: sqlite3.Connection, session_id: str, flag: str, detail: str, raised_at: float) -> None:
    """Sticky: a flag raised again keeps its first time and detail."""
    _require(connection, session_id)
    connection.execute(
        "INSERT OR IGNORE INTO session_flags (session_id, flag, raised_at, detail) VALUES (?, ?, ?, ?)",
        (session_id, flag, raised_at, detail),
    )


def end_session(
    connection: sqlite3.Connection, session_id: str, status: SessionStatus, end_reason: str, ended_at: float
) -> None:
    _update(connection, session_id, "status = ?, end_reason = ?, ended_at = ?, owner = NULL",
            (status.value, end_reason, ended_at))
    connection.execute(
        "UPDATE session_calls SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL", (ended_at, session_id)
    )


def recover_interrupted(connection: sqlite3.Connection, owner_is_alive: Callable[[str | None], bool]) -> list[str]:
    """Sessions left live by a process that is gone become `interrupted`, end reason `crash`.

    They end at the last thing known of them: their last item, else their last call, else their start.
    """
    rows = connection.execute(
        "SELECT id, owner FROM sessions WHERE status IN (?, ?) ORDER BY started_at",
        (SessionStatus.CREATED.value, SessionStatus.ACTIVE.value),
    ).fetchall()
    recovered = []
    for session_id, owner in rows:
        if owner_is_alive(owner):
            continue
        connection.execute(
            "UPDATE sessions SET status = ?, end_reason = ?, owner = NULL, ended_at = COALESCE("
            "(SELECT MAX(created_at) FROM items WHERE session_id = sessions.id), "
            "(SELECT MAX(started_at) FROM session_calls WHERE session_id = sessions.id), started_at) WHERE id = ?",
            (SessionStatus.INTERRUPTED.value, EndReason.CRASH.value, session_id),
        )
        recovered.append(session_id)
    return recovered


def delete_session(connection: sqlite3.Connection, session_id: str) -> bool:
    return connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0


def give_back_freed_pages(connection: sqlite3.Connection) -> None:
    """After a delete (outside a transaction): secure_delete has zeroed the freed pages; hand them back to
    the file system, and fold the WAL (which still holds older copies of those pages) into the file and
    truncate it to zero bytes."""
    connection.execute("PRAGMA incremental_vacuum").fetchall()
    busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # a reader kept a snapshot past the busy timeout: the next checkpoint folds the rest
        log.warning("history: the WAL could not be emptied after a delete (a reader was busy)")
