"""Deleting really deletes: the words are gone from the bytes of the files, not only hidden."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from therapy_desktop.storage import SessionStore

from .conftest import item

SECRET = "my neighbour Clementine Osterhagen"
LONG_SECRET = "".join(f"paragraph{n:05d} about the quarrel with Bartholomew. " for n in range(300))  # overflow pages
KEPT = "a kept sentence about gardening"


def _bytes_of(database: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (database, database.with_name(database.name + "-wal")) if p.exists())


def test_a_deleted_session_leaves_no_trace_in_the_files(store: SessionStore) -> None:
    kept = store.create_session(therapy_type="general", mode="demo").result()
    store.add_item(item(kept, 0, KEPT)).result()
    gone = store.create_session(therapy_type="general", mode="demo").result()
    store.add_item(item(gone, 0, SECRET)).result()
    store.add_item(item(gone, 1, LONG_SECRET)).result()
    store.add_call(gone, "rtc_secret_call").result()
    # The test can see the words where they are: in the WAL, and in the file after a checkpoint.
    assert SECRET.encode() in _bytes_of(store.path)
    with sqlite3.connect(store.path) as connection:
        connection.execute("PRAGMA wal_checkpoint(FULL)")
    assert SECRET.encode() in store.path.read_bytes()
    size_before = store.path.stat().st_size

    assert store.delete_session(gone).result() is True

    data = _bytes_of(store.path)
    for phrase in (SECRET, "Bartholomew", "rtc_secret_call", gone):
        assert phrase.encode() not in data, f"{phrase!r} is still in the files"
    assert KEPT.encode() in data
    assert store.path.stat().st_size < size_before  # freed pages given back (incremental auto-vacuum)
    assert store.get_session(gone) is None and store.items(gone) == []
    assert [i.text for i in store.items(kept)] == [KEPT]


def test_delete_everything_removes_every_file_it_made(db_path: Path) -> None:
    store = SessionStore.open(db_path)
    sid = store.create_session(therapy_type="general", mode="demo").result()
    store.add_item(item(sid, 0, SECRET)).result()
    store.list_sessions()  # a reader connection open too
    removed = store.delete_everything()
    assert db_path in removed
    assert list(db_path.parent.iterdir()) == []
    # The app starts as on first run.
    with SessionStore.open(db_path) as fresh:
        assert fresh.list_sessions() == []
