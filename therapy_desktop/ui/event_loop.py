"""The window's asyncio loop: qasync's, with `call_soon` batched.

qasync turns every `call_soon` into a Qt timer of its own (startTimer, a timer event through
Qt's event queue, killTimer). A live call makes hundreds of them a second: every future aiortc
resolves, every task step, every packet. Here they wait in one queue that a single zero-delay
timer drains, in order, the way asyncio's own loop runs its ready queue: what was ready when the
drain began runs now, what those callbacks schedule runs on the next pass, after Qt's own events.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import Coroutine, Iterator
from contextvars import Context
from typing import Any, TypeVar

import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


class BatchingQEventLoop(qasync.QEventLoop):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._ready_handles: collections.deque[asyncio.Handle] = collections.deque()
        self._drain_pending = False

    def call_soon(self, callback: Any, *args: Any, context: Context | None = None) -> asyncio.Handle:
        if asyncio.iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with call_soon")
        handle = asyncio.Handle(callback, args, self, context=context)
        self._ready_handles.append(handle)
        if not self._drain_pending:
            self._drain_pending = True
            super().call_soon(self._run_ready)
        return handle

    def _run_ready(self) -> None:
        self._drain_pending = False
        for _ in range(len(self._ready_handles)):
            handle = self._ready_handles.popleft()
            if not handle.cancelled():
                handle._run()  # asyncio's own: reports a callback's exception to the loop's handler


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return BatchingQEventLoop(QApplication.instance() or QApplication([]))


@contextlib.contextmanager
def _policy() -> Iterator[None]:
    old = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(_Policy())
    try:
        yield
    finally:
        asyncio.set_event_loop_policy(old)


def run(main: Coroutine[Any, Any, T]) -> T:
    """`qasync.run` on the batching loop."""
    with _policy():
        return asyncio.run(main)
