"""Opening the history's SQLite file: the connection settings every connection shares, and migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from therapy_desktop.storage.errors import HistoryUnreadable
from therapy_desktop.storage.schema import migrate


def connect(path: Path, *, reader: bool) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
        try:
            if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise sqlite3.OperationalError("WAL mode is not available for this file")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA synchronous = FULL")
            if reader:
                connection.execute("PRAGMA query_only = ON")
        except BaseException:
            connection.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise HistoryUnreadable(path, str(exc)) from exc
    return connection


def prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Migrate; a file made without incremental auto-vacuum gets it (that needs one full VACUUM)."""
    try:
        migrate(connection, path)
        if connection.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            connection.execute("VACUUM")
    except sqlite3.DatabaseError as exc:
        raise HistoryUnreadable(path, str(exc)) from exc
