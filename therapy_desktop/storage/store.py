"""`SessionStore`: the session history in one SQLite file.

Writes go through one writer thread (see writer.py): each write method enqueues and returns a
`Committed` at once — `await` it on the loop, `.result()` it from a thread, or drop it (the
write still happens, in call order). Reads are plain methods for a worker thread, each thread
with its own connection; the `*_async` twins run them on the store's own reader thread so the
loop never waits on the file (and the loop's default executor, which aiortc uses to encode
audio, stays free).

Connections: WAL (readers never block the writer, nor it them), foreign keys on,
`synchronous=FULL` (a commit the caller was told about survives a power cut, not only a crash),
`secure_delete=ON` (deleted rows and freed pages are overwritten with zeros), and the file in
`auto_vacuum=INCREMENTAL` mode: after a delete, `incremental_vacuum` gives the freed (already
zeroed) pages back to the file system and a `wal_checkpoint(TRUNCATE)` empties the WAL, which
still held older copies of them. So a deleted conversation is gone from the files, not only
hidden — what the file system or a backup kept of earlier bytes is beyond an app's reach.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import functools
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from therapy_desktop.storage import queries, writes
from therapy_desktop.storage.connection import connect, prepare
from therapy_desktop.storage.errors import HistoryUnreadable, StoreClosed
from therapy_desktop.storage.owners import OwnerLease, owner_is_alive
from therapy_desktop.storage.paths import database_path, remove_database
from therapy_desktop.storage.records import (
    ItemRecord,
    MoodPoint,
    SessionRecord,
    SessionStatus,
    SummaryRecord,
    Usage,
    check_mood,
)
from therapy_desktop.storage.writer import Committed, Writer

T = TypeVar("T")

_SECRET_PREFIXES = ("ek_", "sk-")  # ephemeral and API keys: never written to the history
_ENDED_STATUSES = (SessionStatus.ENDED, SessionStatus.ERROR, SessionStatus.INTERRUPTED)


class SessionStore:
    """Open with `SessionStore.open()`; close with `close()` (or use it as a context manager)."""

    def __init__(self, path: Path, lease: OwnerLease, writer: Writer, clock: Callable[[], float]) -> None:
        self.path = path
        self.recovered: tuple[str, ...] = ()  # sessions crash recovery marked interrupted at open
        self._lease, self._writer, self._clock = lease, writer, clock
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self._read_executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="history-reader")

    @classmethod
    def open(
        cls, path: Path | None = None, *, recover: bool = True, clock: Callable[[], float] = time.time
    ) -> SessionStore:
        """Open (creating and migrating as needed) the history; blocking, so call it before the loop
        runs or in a thread. With `recover`, sessions whose process died become `interrupted`."""
        path = path if path is not None else database_path()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # the WAL and -shm copy this mode
            lease = OwnerLease(path)
        except OSError as exc:
            raise HistoryUnreadable(path, exc.strerror or str(exc)) from exc
        writer = Writer(lambda: connect(path, reader=False))
        store = cls(path, lease, writer, clock)
        try:
            writer.submit(functools.partial(prepare, path=path), transaction=False).result()
            if recover:
                store.recovered = tuple(store.recover_interrupted())
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    async def open_async(
        cls, path: Path | None = None, *, recover: bool = True, clock: Callable[[], float] = time.time
    ) -> SessionStore:
        """`open` in a thread, for when the loop is already running."""
        return await asyncio.to_thread(functools.partial(cls.open, path, recover=recover, clock=clock))

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes: each returns at once; the Committed resolves when the transaction is committed ---

    def create_session(
        self,
        *,
        therapy_type: str,
        mode: str,
        mood_before: int | None = None,
        started_at: float | None = None,
        session_id: str | None = None,
    ) -> Committed[str]:
        """A new session in status `created`; resolves to its id (a UUID unless given)."""
        session_id = session_id or str(uuid.uuid4())
        return self._write(
            writes.create_session, session_id, str(therapy_type), str(mode), self._now(started_at),
            check_mood(mood_before), self._lease.token,
        )

    def set_status(self, session_id: str, status: SessionStatus) -> Committed[None]:
        return self._write(writes.set_status, session_id, SessionStatus(status))

    def add_call(
        self, session_id: str, call_id: str, *, key_expires_at: float | None = None, started_at: float | None = None
    ) -> Committed[None]:
        """A realtime call of the session (the first, or one after a reconnect). Never pass the key itself."""
        if call_id.startswith(_SECRET_PREFIXES):
            raise ValueError("that looks like a key, not a call id: keys are never stored")
        return self._write(writes.add_call, session_id, call_id, self._now(started_at), key_expires_at)

    def end_call(self, session_id: str, call_id: str, *, ended_at: float | None = None) -> Committed[None]:
        return self._write(writes.end_call, session_id, call_id, self._now(ended_at))

    def add_item(self, item: ItemRecord) -> Committed[None]:
        """Write one completed transcript item; the same `item_id` again replaces it.
        An item without `created_at` gets the store's clock."""
        if not item.created_at:
            item = dataclasses.replace(item, created_at=self._clock())
        return self._write(writes.add_item, item)

    def add_usage(self, session_id: str, usage: Usage, *, cost_usd: float | None = None) -> Committed[None]:
        """Add one `response.done`'s usage (and its estimated cost, when known) to the session's totals."""
        return self._write(writes.add_usage, session_id, usage, cost_usd)

    def forget_cost_estimate(self, session_id: str) -> Committed[None]:
        """The session's estimate becomes unknown: a response that could not be priced would make
        the sum of the others an undercount."""
        return self._write(writes.forget_cost, session_id)

    def set_summary(self, session_id: str, summary: SummaryRecord | None) -> Committed[None]:
        return self._write(writes.set_summary, session_id, summary)

    def set_mood_before(self, session_id: str, mood: int | None) -> Committed[None]:
        return self._write(writes.set_mood, session_id, "mood_before", check_mood(mood))

    def set_mood_after(self, session_id: str, mood: int | None) -> Committed[None]:
        return self._write(writes.set_mood, session_id, "mood_after", check_mood(mood))

    def add_flag(
        self, session_id: str, flag: str, *, detail: str = "", raised_at: float | None = None
    ) -> Committed[None]:
        """Flag the session (e.g. `SessionFlag.CRISIS`); sticky: raising it again changes nothing."""
        return self._write(writes.add_flag, session_id, str(flag), detail, self._now(raised_at))

    def end_session(
        self,
        session_id: str,
        *,
        end_reason: str,
        status: SessionStatus = SessionStatus.ENDED,
        ended_at: float | None = None,
    ) -> Committed[None]:
        if SessionStatus(status) not in _ENDED_STATUSES:
            raise ValueError(f"a session ends as one of {[s.value for s in _ENDED_STATUSES]}, not {status!r}")
        return self._write(writes.end_session, session_id, SessionStatus(status), str(end_reason),
                           self._now(ended_at))

    def delete_session(self, session_id: str) -> Committed[bool]:
        """Really delete one session (its items, calls and flags with it); resolves to whether it existed."""
        def delete(connection: sqlite3.Connection) -> bool:
            connection.execute("BEGIN IMMEDIATE")
            try:
                existed = writes.delete_session(connection, session_id)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            writes.give_back_freed_pages(connection)
            return existed

        return self._writer.submit(delete, transaction=False)

    def recover_interrupted(self) -> list[str]:
        """Mark sessions left `created`/`active` by a process that is gone as `interrupted` (end reason
        `crash`); returns their ids. Blocks until committed: call at open or from a thread."""
        return self._writer.submit(functools.partial(writes.recover_interrupted,
                                                     owner_is_alive=functools.partial(owner_is_alive, self.path))
                                   ).result()

    def delete_everything(self) -> list[Path]:
        """Close the store and remove the database with its WAL, shared-memory and lock files.
        Returns what was removed. Blocking: use `delete_everything_async` on the loop."""
        self.close()
        return remove_database(self.path)

    async def delete_everything_async(self) -> list[Path]:
        return await asyncio.to_thread(self.delete_everything)

    def close(self) -> None:
        """Finish the queued writes, then close every connection. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._writer.close()
        self._read_executor.shutdown(wait=True)
        with self._readers_lock:
            for connection in self._readers:
                connection.close()
            self._readers.clear()
        self._lease.release()

    async def close_async(self) -> None:
        await asyncio.to_thread(self.close)

    # -- reads: blocking, for a worker thread; the *_async twins for the loop ---------------------

    def list_sessions(self) -> list[SessionRecord]:
        """Every session, newest first."""
        return self._read(queries.list_sessions)

    def get_session(self, session_id: str) -> SessionRecord | None:
        return self._read(queries.get_session, session_id)

    def items(self, session_id: str) -> list[ItemRecord]:
        """The session's transcript items in their order."""
        return self._read(queries.items, session_id)

    def sessions_started_since(self, since: float) -> int:
        """How many sessions started at or after `since` (the daily limit)."""
        return self._read(queries.sessions_started_since, since)

    def mood_history(self) -> list[MoodPoint]:
        """Sessions with a mood before or after, oldest first (the mood chart)."""
        return self._read(queries.mood_history)

    def flagged_sessions_since(self, flag: str, since: float) -> list[SessionRecord]:
        """Sessions that raised `flag` at or after `since`, newest first (the next-day check-in)."""
        return self._read(queries.flagged_sessions_since, str(flag), since)

    async def list_sessions_async(self) -> list[SessionRecord]:
        return await self._read_async(self.list_sessions)

    async def get_session_async(self, session_id: str) -> SessionRecord | None:
        return await self._read_async(self.get_session, session_id)

    async def items_async(self, session_id: str) -> list[ItemRecord]:
        return await self._read_async(self.items, session_id)

    async def sessions_started_since_async(self, since: float) -> int:
        return await self._read_async(self.sessions_started_since, since)

    async def mood_history_async(self) -> list[MoodPoint]:
        return await self._read_async(self.mood_history)

    async def flagged_sessions_since_async(self, flag: str, since: float) -> list[SessionRecord]:
        return await self._read_async(self.flagged_sessions_since, flag, since)

    # -- plumbing ---------------------------------------------------------------------------------

    def _now(self, ts: float | None) -> float:
        return self._clock() if ts is None else float(ts)

    def _write(self, job: Callable[..., T], *args: Any) -> Committed[T]:
        return self._writer.submit(lambda connection: job(connection, *args))

    def _read(self, query: Callable[..., T], *args: Any) -> T:
        connection = self._reader()
        # One read transaction: a session and its calls, flags and items from the same snapshot.
        connection.execute("BEGIN")
        try:
            return query(connection, *args)
        finally:
            connection.execute("COMMIT")

    async def _read_async(self, read: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise StoreClosed()
        return await asyncio.get_running_loop().run_in_executor(self._read_executor, functools.partial(read, *args))

    def _reader(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreClosed()
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path, reader=True)
            with self._readers_lock:
                if self._closed:
                    connection.close()
                    raise StoreClosed()
                self._readers.append(connection)
            self._local.connection = connection
        return connection
