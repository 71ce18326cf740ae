"""The window's history: opened off the loop on first need, shared by every session of the run,
and closed (queued writes first) when the app quits. If it cannot be opened the session still
runs, unrecorded, and the person is told why."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from typing import TYPE_CHECKING

from therapy_desktop.session.limits import SessionLimits, SessionRefused, daily_limit_problem, start_of_day
from therapy_desktop.storage import SessionFlag, SessionStore, StorageError

if TYPE_CHECKING:  # the session (aiortc, PyAV) loads after the window is up
    from therapy_desktop.session.recorder import SessionRecorder
    from therapy_desktop.session.therapy_session import TherapySession
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

    async def earlier_use(self) -> tuple[datetime | None, datetime | None]:
        """When the app was last used, and when a session was last flagged for crisis (the
        disclosure after 7 days away; the check-in card within 24 hours of a flagged session)."""
        store = await self.store()
        if store is None:
            return None, None
        sessions = await store.list_sessions_async()
        last_use = _utc(sessions[0].started_at) if sessions else None
        flagged = await store.flagged_sessions_since_async(SessionFlag.CRISIS, time.time() - 2 * 24 * 3600)
        last_flagged = _utc(max(s.started_at for s in flagged)) if flagged else None
        return last_use, last_flagged

    def recorder(self, session: TherapySession, request: SessionRequest) -> SessionRecorder | None:
        if self._store is None:
            return None
        from therapy_desktop.session.recorder import SessionRecorder

        return SessionRecorder(self._store, session, mode=str(request.mode), mood_before=request.mood_before)

    def reopen(self) -> None:
        """After Delete everything: the next use opens a fresh, empty history."""
        self.problem = None

    async def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            started = time.monotonic()
            await store.close_async()
            log.info("history closed in %.0f ms", (time.monotonic() - started) * 1000)


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
