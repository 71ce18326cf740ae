"""SIGINT and SIGTERM end a session cleanly (a logout, a shutdown, a service manager, Ctrl-C in a
terminal): the session is ended and saved instead of the process being killed mid-write."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def on_stop_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call `stop` on the running loop when either signal arrives, while the block runs. Loops
    without signal handlers (Windows') leave the default behaviour."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
