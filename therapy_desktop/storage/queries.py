"""Reading the history: SQL rows into records. Plain functions over a connection, any thread's own."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from therapy_desktop.storage.records import (
    CallRecord,
    ItemKind,
    ItemRecord,
    ItemStatus,
    MoodPoint,
    SessionRecord,
    SessionStatus,
    SummaryRecord,
    Usage,
)

_SESSION_COLUMNS = (
    "id, therapy_type, mode, started_at, ended_at, summary_json, mood_before, mood_after, status, end_reason, "
    "input_tokens, output_tokens, total_tokens, estimated_cost_usd"
)


def _sessions(connection: sqlite3.Connection, where: str = "", params: Sequence[Any] = ()) -> list[SessionRecord]:
    rows = connection.execute(
        f"SELECT {_SESSION_COLUMNS} FROM sessions {where} ORDER BY started_at DESC, rowid DESC", params
    ).fetchall()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    calls, flags = _calls_by_session(connection, ids), _flags_by_session(connection, ids)
    return [_session(row, calls.get(row[0], ()), flags.get(row[0], ())) for row in rows]


def _in_list(ids: Sequence[str]) -> str:
    return ",".join("?" * len(ids))


def _calls_by_session(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[CallRecord, ...]]:
    grouped: dict[str, list[CallRecord]] = defaultdict(list)
    for chunk in _chunks(ids):
        for session_id, call_id, started_at, key_expires_at, ended_at in connection.execute(
            "SELECT session_id, call_id, started_at, key_expires_at, ended_at FROM session_calls "
            f"WHERE session_id IN ({_in_list(chunk)}) ORDER BY started_at, rowid",
            chunk,
        ):
            grouped[session_id].append(CallRecord(call_id, started_at, key_expires_at, ended_at))
    return {key: tuple(value) for key, value in grouped.items()}


def _flags_by_session(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for session_id, flag in connection.execute(
            f"SELECT session_id, flag FROM session_flags WHERE session_id IN ({_in_list(chunk)}) "
            "ORDER BY raised_at, flag",
            chunk,
        ):
            grouped[session_id].append(flag)
    return {key: tuple(value) for key, value in grouped.items()}


def _chunks(ids: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    """SQLite limits the number of parameters of one statement (999 on old builds)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _session(row: tuple[Any, ...], calls: tuple[CallRecord, ...], flags: tuple[str, ...]) -> SessionRecord:
    (session_id, therapy_type, mode, started_at, ended_at, summary_json, mood_before, mood_after, status,
     end_reason, input_tokens, output_tokens, total_tokens, cost) = row
    return SessionRecord(
        session_id=session_id,
        therapy_type=therapy_type,
        mode=mode,
        started_at=started_at,
        ended_at=ended_at,
        status=SessionStatus(status),
        end_reason=end_reason,
        mood_before=mood_before,
        mood_after=mood_after,
        summary=SummaryRecord.from_text(summary_json) if summary_json else None,
        flags=flags,
        usage=Usage(input_tokens, output_tokens, total_tokens),
        estimated_cost_usd=cost,
        calls=calls,
    )


def list_sessions(connection: sqlite3.Connection) -> list[SessionRecord]:
    return _sessions(connection)


def get_session(connection: sqlite3.Connection, session_id: str) -> SessionRecord | None:
    found = _sessions(connection, "WHERE id = ?", (session_id,))
    return found[0] if found else None


def flagged_sessions_since(connection: sqlite3.Connection, flag: str, since: float) -> list[SessionRecord]:
    return _sessions(
        connection,
        "WHERE id IN (SELECT session_id FROM session_flags WHERE flag = ? AND raised_at >= ?)",
        (flag, since),
    )


def items(connection: sqlite3.Connection, session_id: str) -> list[ItemRecord]:
    rows = connection.execute(
        "SELECT item_id, position, role, text, kind, status, tool_card, call_id, created_at FROM items "
        "WHERE session_id = ? ORDER BY position, created_at, rowid",
        (session_id,),
    )
    return [
        ItemRecord(
            session_id=session_id,
            item_id=item_id,
            position=position,
            role=role,
            text=text,
            kind=ItemKind(kind),
            status=_status(status),
            tool_card=_card(tool_card),
            call_id=call_id,
            created_at=created_at,
        )
        for item_id, position, role, text, kind, status, tool_card, call_id, created_at in rows
    ]


def _status(value: str) -> ItemStatus:
    try:
        return ItemStatus(value)
    except ValueError:  # a status a later version wrote: show the item, as completed
        return ItemStatus.COMPLETED


def _card(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        card = json.loads(text)
    except ValueError:
        return {"text": text}
    return card if isinstance(card, dict) else {"value": card}


def sessions_started_since(connection: sqlite3.Connection, since: float) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM sessions WHERE started_at >= ?", (since,)).fetchone()[0])


def mood_history(connection: sqlite3.Connection) -> list[MoodPoint]:
    rows = connection.execute(
        "SELECT id, started_at, mood_before, mood_after FROM sessions "
        "WHERE mood_before IS NOT NULL OR mood_after IS NOT NULL ORDER BY started_at, rowid"
    )
    return [MoodPoint(*row) for row in rows]
