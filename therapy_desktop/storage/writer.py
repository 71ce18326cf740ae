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


@dataclass
class _Task:
    job: Job
    future: concurrent.futures.Future[Any]
    transaction: bool  # False: the job manages its own (VACUUM, checkpoints cannot run inside one)


_STOP = object()


class Writer:
    def __init__(self, connect: Callable[[], sqlite3.Connection], name: str = "history-writer") -> None:
        self._connect = connect
        self._queue: queue.SimpleQueue[_Task | object] = queue.SimpleQueue()
        self._closed = False
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
            while (task := self._queue.get()) is not _STOP:
                assert isinstance(task, _Task)
                self._execute(connection, task)
        finally:
            connection.close()

    @staticmethod
    def _execute(connection: sqlite3.Connection, task: _Task) -> None:
        if not task.future.set_running_or_notify_cancel():
            return
        try:
            if task.transaction:
                connection.execute("BEGIN IMMEDIATE")
            try:
                result = task.job(connection)
                if task.transaction:
                    connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the write
            log.warning("history write failed: %s", exc)
            task.future.set_exception(exc)
        else:
            task.future.set_result(result)

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
