"""Writes one session into the history as it happens: created at Start, active once connected,
each call's id, each transcript item the moment it completes (not per delta, not at the end),
tool cards, renewals, token usage and its estimated cost, the summary, moods and how it
ended. Every write is queued on the store's writer thread: nothing here waits on the disk."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from dataclasses import asdict
from typing import Any

from therapy_desktop.realtime.pricing import PriceTable, PriceTableError, price_table, response_cost_for_mode
from therapy_desktop.session import texts
from therapy_desktop.session.events import CallOpened, CallRenewal
from therapy_desktop.session.state import EndReason, SessionOutcome, SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.session.transcript import TranscriptItem
from therapy_desktop.storage import (
    Committed,
    ItemKind,
    ItemRecord,
    ItemStatus,
    SessionFlag,
    SessionStatus,
    SessionStore,
    StorageError,
    SummaryRecord,
    Usage,
)
from therapy_desktop.therapy import BreathingExercise, GroundingExercise, SessionSummary, ToolResult

log = logging.getLogger(__name__)

_ITEM_STATUS = {
    "completed": ItemStatus.COMPLETED,
    "interrupted": ItemStatus.INTERRUPTED,
    "transcription_failed": ItemStatus.TRANSCRIPTION_FAILED,
}


class SessionRecorder:
    def __init__(self, store: SessionStore, session: TherapySession, *, mode: str, mood_before: int | None = None,
                 prices: PriceTable | None = None) -> None:
        self._store = store
        self._session = session
        self._mode = str(mode)
        self._prices = prices if prices is not None else _prices_or_none()  # None: no estimates
        self._cost_known = True  # until a response cannot be priced: then the whole estimate is unknown
        self._priced = False  # some response so far was added with its cost
        self._written: dict[str, tuple[str, str, int]] = {}  # item_id -> (text, status, position) as stored
        self._extra_items = 0  # tool cards and notices, placed after what was said before them
        self._pending: set[Committed[Any]] = set()
        self._lock = threading.Lock()
        self.failed: StorageError | None = None
        self.session_id = str(uuid.uuid4())  # ours, so every write can be queued before the first lands
        self._track(store.create_session(therapy_type=str(session.therapy_type), mode=mode, mood_before=mood_before,
                                         started_at=time.time(), session_id=self.session_id))
        e = session.events
        e.call_did_open.connect(self._call_opened)
        e.call_did_renew.connect(self._call_renewed)
        e.tool_did_run.connect(self._tool_ran)
        e.usage_did_arrive.connect(self._usage)
        e.session_did_end.connect(self._ended)
        e.state_did_change.connect(self._state)
        session.transcript.item_did_change.connect(self._item_changed)
        session.safety.crisis_did_raise.connect(lambda change: self.add_flag(SessionFlag.CRISIS))

    def set_mood_after(self, mood: int | None) -> Committed[None]:
        return self._track(self._store.set_mood_after(self.session_id, mood))

    def set_summary(self, summary: SummaryRecord) -> Committed[None]:
        """The person's edited summary (the summary view's Save)."""
        return self._track(self._store.set_summary(self.session_id, summary))

    def add_flag(self, flag: str, detail: str = "") -> Committed[None]:
        return self._track(self._store.add_flag(self.session_id, flag, detail=detail))

    async def flushed(self) -> None:
        """Every write so far committed (a headless run waits for this before it exits)."""
        with self._lock:
            pending = list(self._pending)
        if pending:
            await asyncio.gather(*(_awaited(c) for c in pending), return_exceptions=True)

    # -- what the session announces --------------------------------------------------------------

    def _state(self, state: SessionState) -> None:
        if state is SessionState.LISTENING and len(self._session.calls.calls) == 1 and not self._written:
            self._track(self._store.set_status(self.session_id, SessionStatus.ACTIVE))

    def _call_opened(self, call: CallOpened) -> None:
        if call.call_id:
            self._track(self._store.add_call(self.session_id, call.call_id, key_expires_at=call.key_expires_at))

    def _item_changed(self, item: TranscriptItem) -> None:
        if not item.final or not item.visible:
            return
        self._write_visible_from(item)

    def _write_visible_from(self, changed: TranscriptItem) -> None:
        """Write the item, and any item whose place moved because of it (a late transcription
        lands before the reply already written)."""
        for position, item in enumerate(self._session.transcript.visible_items()):
            if not item.final:
                continue
            status = _ITEM_STATUS.get(item.status, ItemStatus.COMPLETED)
            state = (item.text, status.value, position)
            if self._written.get(item.item_id) == state:
                continue
            self._written[item.item_id] = state
            self._track(self._store.add_item(ItemRecord(
                session_id=self.session_id, item_id=item.item_id, position=position * 1000, role=item.role,
                text=item.text, kind=ItemKind.MESSAGE, status=status, created_at=item.created_at,
            )))

    def _add_extra(self, kind: ItemKind, text: str, card: dict[str, Any] | None = None) -> None:
        self._extra_items += 1
        position = len(self._session.transcript.visible_items()) * 1000 - 500 + self._extra_items % 500
        self._track(self._store.add_item(ItemRecord(
            session_id=self.session_id, item_id=f"{kind.value}-{self._extra_items}", position=position,
            kind=kind, text=text, tool_card=card, created_at=time.time(),
        )))

    def _tool_ran(self, result: ToolResult) -> None:
        effect = result.effect
        if isinstance(effect, BreathingExercise):
            text = texts.RECORD_BREATHING.format(pattern=effect.pattern, cycles=effect.cycles)
            self._add_extra(ItemKind.TOOL, text, {"tool": result.name, **asdict(effect)})
        elif isinstance(effect, GroundingExercise):
            self._add_extra(ItemKind.TOOL, texts.RECORD_GROUNDING, {"tool": result.name})
        elif isinstance(effect, SessionSummary):
            self._track(self._store.set_summary(self.session_id, SummaryRecord.from_json(asdict(effect))))
            self._add_extra(ItemKind.TOOL, texts.RECORD_SUMMARY, {"tool": result.name})
        elif result.error:
            self._add_extra(ItemKind.TOOL, texts.RECORD_TOOL_FAILED.format(name=result.name), {"tool": result.name})

    def _call_renewed(self, renewal: CallRenewal) -> None:
        self._add_extra(ItemKind.NOTICE, texts.RECORD_RENEWED, {"cause": renewal.cause, "seconds": renewal.seconds})

    def _usage(self, usage: dict[str, Any]) -> None:
        numbers = {k: usage.get(k) for k in ("input_tokens", "output_tokens", "total_tokens")}
        if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in numbers.values()):
            cost = response_cost_for_mode(self._mode, self._session.config.model, usage, self._prices)
            if cost is None and self._cost_known:
                self._cost_known = False  # a sum that leaves a response out would read as the whole cost
                if self._priced:
                    self._track(self._store.forget_cost_estimate(self.session_id))
            if not self._cost_known:
                cost = None
            self._track(self._store.add_usage(self.session_id, Usage(**numbers), cost_usd=cost))
            self._priced = self._priced or cost is not None

    def _ended(self, outcome: SessionOutcome) -> None:
        status = SessionStatus.ERROR if outcome.reason is EndReason.ERROR else SessionStatus.ENDED
        self._track(self._store.end_session(self.session_id, end_reason=str(outcome.reason), status=status))

    def _track(self, committed: Committed[Any]) -> Committed[Any]:
        """Keep the write until it lands; a failed write is logged and remembered, never raised
        into the conversation (the history must not end a session). The callback runs on the
        writer thread and never touches the event loop: a window's loop may be gone by then."""
        with self._lock:
            self._pending.add(committed)
        committed.add_done_callback(self._landed)
        return committed

    def _landed(self, committed: Committed[Any]) -> None:
        with self._lock:
            self._pending.discard(committed)
        exc = committed.exception()
        if exc is not None:
            log.warning("writing the history failed: %s", exc)
            if self.failed is None and isinstance(exc, StorageError):
                self.failed = exc


def _prices_or_none() -> PriceTable | None:
    """The price table; an override file that cannot be used means no estimate at all (not the
    built-in prices the person chose to replace)."""
    try:
        return price_table()
    except PriceTableError as exc:
        log.warning("no cost estimates this session: %s", exc)
        return None


async def _awaited(committed: Committed[Any]) -> Any:
    return await committed
