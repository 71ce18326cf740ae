"""The one writer thread: every write to the history goes through its queue, in call order.

The asyncio loop only enqueues (no file I/O, no lock waits on the loop thread); what it gets
back is a `Committed`, awaitable on the loop, or `.result()` from any other thread, resolving
once the transaction is committed (or raising what went wrong).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from therapy_desktop.storage.errors import StoreClosed

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]


class Committed(Generic[T]):
    """A write queued for the writer thread. `await` it on the loop, or call `.result()` elsewhere."""

    def __init__(self, future: concurrent.futures.Future[T]) -> None:
        self._future = future

    def __await__(self) -> Generator[Any, None, T]:
        return asyncio.wrap_future(self._future).__await__()

    def result(self, timeout: float | None = None) -> T:
        return self._future.result(timeout)

    def done(self) -> bool:
        return self._future.done()

    def add_done_callback(self, callback: Callable[[Committed[T]], None]) -> None:
        """`callback(self)` once the write landed or failed — on the writer thread (keep it short
        and thread-safe; it must not touch the event loop)."""
        self._future.add_done_callback(lambda _: callback(self))

    def exception(self) -> BaseException | None:
        """The write's error once done (None if it succeeded); blocks until then."""
        return self._future.exception()


@dataclass
class _Task:
    job: Job
    future: concurrent.futures.Future[Any]
    transaction: bool  # False: the job manages its own (VACUUM, checkpoints cannot run inside one)


_STOP = object()
_MAX_BATCH = 256


class Writer:
    def __init__(self, connect: Callable[[], sqlite3.Connection], name: str = "history-writer") -> None:
        self._connect = connect
        self._queue: queue.SimpleQueue[_Task | object] = queue.SimpleQueue()
        self._closed = False
        self._held: _Task | None = None  # taken from the queue, to run after the current batch (writer thread only)
        self._failure: BaseException | None = None  # why the thread could not open its connection
        self._lock = threading.Lock()  # orders submit() against close(): nothing lands after the stop
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job, *, transaction: bool = True) -> Committed[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            if self._failure is not None:
                future.set_exception(self._failure)
                return Committed(future)
            if self._closed:
                raise StoreClosed()
            self._queue.put(_Task(job, future, transaction))
        return Committed(future)

    def close(self) -> None:
        """Runs every write queued before it, then stops the thread. Safe to call twice."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join()

    def _run(self) -> None:
        try:
            connection = self._connect()
        except BaseException as exc:  # noqa: BLE001 - every queued write learns why
            self._fail_all(exc)
            return
        try:
            stopping = False
            while not stopping:
                batch, stopping = self._next_batch()
                if len(batch) == 1 and not batch[0].transaction:
                    self._execute_alone(connection, batch[0])
                elif batch:
                    self._execute_together(connection, batch)
        finally:
            connection.close()

    def _next_batch(self) -> tuple[list[_Task], bool]:
        """What is queued now, up to the next job that runs outside a transaction: a burst of writes
        shares one commit (one fsync) instead of paying one each. Returns the batch and whether to stop."""
        first = self._take(block=True)
        if first is _STOP:
            return [], True
        assert isinstance(first, _Task)
        batch = [first]
        while first.transaction and len(batch) < _MAX_BATCH:
            try:
                task = self._take(block=False)
            except queue.Empty:
                break
            if task is _STOP:
                return batch, True
            assert isinstance(task, _Task)
            if not task.transaction:
                self._held = task  # runs alone, next, so the order stays the order of the calls
                break
            batch.append(task)
        return batch, False

    def _take(self, *, block: bool) -> _Task | object:
        if self._held is not None:
            task, self._held = self._held, None
            return task
        return self._queue.get() if block else self._queue.get_nowait()

    @staticmethod
    def _execute_alone(connection: sqlite3.Connection, task: _Task) -> None:
        if not task.future.set_running_or_notify_cancel():
            return
        try:
            result = task.job(connection)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the write
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            log.warning("history write failed: %s", exc)
            task.future.set_exception(exc)
        else:
            task.future.set_result(result)

    @staticmethod
    def _execute_together(connection: sqlite3.Connection, batch: list[_Task]) -> None:
        """One transaction, a savepoint per write: a failing write is undone alone, and every
        future resolves only after the COMMIT."""
        outcomes: list[tuple[_Task, bool, Any]] = []
        try:
            connection.execute("BEGIN IMMEDIATE")
            for task in batch:
                if not task.future.set_running_or_notify_cancel():
                    continue
                connection.execute("SAVEPOINT write")
                try:
                    outcomes.append((task, True, task.job(connection)))
                except Exception as exc:  # noqa: BLE001 - handed to whoever waits for the write
                    connection.execute("ROLLBACK TO write")
                    log.warning("history write failed: %s", exc)
                    outcomes.append((task, False, exc))
                connection.execute("RELEASE write")
            connection.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - the commit failed: none of them happened
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            log.warning("history commit failed: %s", exc)
            for task in batch:  # the ones that ran are running, not done: they learn it too
                if task.future.done():  # cancelled before it ran
                    continue
                if task.future.running() or task.future.set_running_or_notify_cancel():
                    task.future.set_exception(exc)
            return
        for task, ok, value in outcomes:
            if ok:
                task.future.set_result(value)
            else:
                task.future.set_exception(value)

    def _fail_all(self, exc: BaseException) -> None:
        while True:
            with self._lock:
                self._closed, self._failure = True, exc
                try:
                    task = self._queue.get_nowait()
                except queue.Empty:
                    return
            if isinstance(task, _Task) and task.future.set_running_or_notify_cancel():
                task.future.set_exception(exc)
