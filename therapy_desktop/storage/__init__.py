"""The session history: SQLite in the data folder, written as a session goes, no Qt.

Public surface: `SessionStore` and its records; `to_markdown` / `to_html` for exports.
"""

from __future__ import annotations

from therapy_desktop.storage.errors import HistoryTooNew, HistoryUnreadable, StorageError, StoreClosed, UnknownSession
from therapy_desktop.storage.export import to_html, to_markdown
from therapy_desktop.storage.paths import DATA_DIR_ENV, data_dir, database_path
from therapy_desktop.storage.records import (
    CallRecord,
    EndReason,
    ItemKind,
    ItemRecord,
    ItemStatus,
    MoodPoint,
    SessionFlag,
    SessionRecord,
    SessionStatus,
    SummaryRecord,
    Usage,
)
from therapy_desktop.storage.store import SessionStore
from therapy_desktop.storage.writer import Committed

__all__ = [
    "DATA_DIR_ENV",
    "CallRecord",
    "Committed",
    "EndReason",
    "HistoryTooNew",
    "HistoryUnreadable",
    "ItemKind",
    "ItemRecord",
    "ItemStatus",
    "MoodPoint",
    "SessionFlag",
    "SessionRecord",
    "SessionStatus",
    "SessionStore",
    "StorageError",
    "StoreClosed",
    "SummaryRecord",
    "UnknownSession",
    "Usage",
    "data_dir",
    "database_path",
    "to_html",
    "to_markdown",
]
