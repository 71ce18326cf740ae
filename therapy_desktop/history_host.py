"""The window's history: opened off the loop on first need, shared by every session of the run,
and closed (queued writes first) when the app quits. If it cannot be opened the session still
runs, unrecorded, and the person is told why."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from therapy_desktop.session.limits import SessionLimits, SessionRefused, daily_limit_problem, start_of_day
from therapy_desktop.session.recorder import SessionRecorder
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.storage import SessionStore, StorageError
from therapy_desktop.ui.session_controller import SessionRequest

log = logging.getLogger(__name__)


class HistoryHost:
    def __init__(self, limits: SessionLimits | None = None) -> None:
        self.limits = limits or SessionLimits()
        self._store: SessionStore | None = None
        self.problem: StorageError | None = None  # why there is no history this run
        self._lock = asyncio.Lock()

    async def store(self) -> SessionStore | None:
        async with self._lock:
            if self._store is None and self.problem is None:
                try:
                    self._store = await SessionStore.open_async()
                except StorageError as exc:
                    log.warning("no session history this run: %s", exc)
                    self.problem = exc
        return self._store

    async def refuse_over_daily_limit(self) -> None:
        store = await self.store()
        if store is None:
            return
        now = datetime.now()
        started = await store.sessions_started_since_async(start_of_day(now).timestamp())
        problem = daily_limit_problem(started, self.limits, now)
        if problem:
            raise SessionRefused(problem)

    def recorder(self, session: TherapySession, request: SessionRequest) -> SessionRecorder | None:
        if self._store is None:
            return None
        return SessionRecorder(self._store, session, mode=str(request.mode), mood_before=request.mood_before)

    async def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            started = time.monotonic()
            await store.close_async()
            log.info("history closed in %.0f ms", (time.monotonic() - started) * 1000)
