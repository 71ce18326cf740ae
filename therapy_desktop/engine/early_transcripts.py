"""Transcribe while the person is still in their turn: at each pause the speech so far goes to the
recogniser, so when the silence window ends the transcript is usually ready (or nearly).

At most one pass runs at a time; a pause that comes while one runs replaces any pause still
waiting (its audio holds more speech), and one the turn went past is never started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import numpy as np

from therapy_desktop.engine.turns import SpeechEnd, SpeechPause

Transcribe = Callable[[np.ndarray], Awaitable[str]]
_KEPT = 4  # passes remembered (a turn only ever asks for its last pause)


class EarlyTranscripts:
    def __init__(self, transcribe: Transcribe) -> None:
        self._transcribe = transcribe
        self._passes: dict[int, asyncio.Future[str]] = {}
        self._waiting: tuple[SpeechPause, asyncio.Future[str]] | None = None
        self._running: asyncio.Task[None] | None = None
        self.reused = 0  # turns whose transcript came from a pause (for diagnostics)

    def pause(self, pause: SpeechPause) -> None:
        future = _future()
        self._remember(pause.serial, future)
        if self._waiting is not None:
            self._waiting[1].cancel()  # superseded: this pause holds everything the older one did
        self._waiting = (pause, future)
        if self._running is None or self._running.done():
            self._start_next()

    def end(self, end: SpeechEnd) -> asyncio.Future[str]:
        """The transcript for a finished turn: the pass of the pause it ended in, or a new one."""
        found = self._passes.get(end.pause_serial) if end.pause_serial is not None else None
        if found is not None and not found.cancelled():
            self.reused += 1
            return found
        future = _future()
        if self._waiting is not None:
            self._waiting[1].cancel()
        self._waiting = (SpeechPause(-1, end.audio), future)
        if self._running is None or self._running.done():
            self._start_next()
        return future

    def close(self) -> None:
        if self._running is not None:
            self._running.cancel()
        for future in self._passes.values():
            future.cancel()

    def _remember(self, serial: int, future: asyncio.Future[str]) -> None:
        self._passes[serial] = future
        for old in sorted(self._passes)[:-_KEPT]:
            self._passes.pop(old)

    def _start_next(self) -> None:
        if self._waiting is None:
            self._running = None
            return
        (pause, future), self._waiting = self._waiting, None
        self._running = asyncio.get_running_loop().create_task(self._run(pause.audio, future))

    async def _run(self, audio: np.ndarray, future: asyncio.Future[str]) -> None:
        try:
            text = await self._transcribe(audio)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:  # the turn that asks sees the failure
            if not future.done():
                future.set_exception(exc)
        else:
            if not future.done():
                future.set_result(text)
        finally:
            if self._running is asyncio.current_task():
                self._start_next()


def _future() -> asyncio.Future[str]:
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    # A pass nobody asks for may fail unseen: retrieve its error so asyncio does not log it.
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return future
