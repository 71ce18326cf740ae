"""A repeating check on the loop (the watchdog's and the session timer's): one `call_later` at
a time, stopped cleanly; the check says whether to go on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Ticker:
    def __init__(self, every: float, check: Callable[[], bool]) -> None:
        self.every = every
        self._check = check  # returns False to stop ticking
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self.stop()
        self._timer = asyncio.get_running_loop().call_later(self.every, self._run)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _run(self) -> None:
        self._timer = None
        if self._check():
            self._timer = asyncio.get_running_loop().call_later(self.every, self._run)
