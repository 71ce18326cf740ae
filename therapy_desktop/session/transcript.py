"""The conversation as the person reads it: items keyed by `item_id`, ordered by `previous_item_id`.

Events arrive out of order: the person's transcription often lands after the therapist has
started answering, and a server may name an item's predecessor before we have seen it. So
placement never follows arrival: each item sits right after the item the server says precedes
it; an item whose place is not known yet goes before any item that names it as predecessor,
else at the end, and moves once its place is known. Once known, a place is kept: a later event
without a predecessor (`previous_item_id: null` on `conversation.item.done` is allowed) never
moves an item that is already placed.

Items exist only once the server has announced them (committed, added, output item added):
text for an id nobody announced is ignored, so a flood of made-up ids creates nothing. An
item's text is capped, so one runaway item cannot fill memory.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.session.hooks import Hook

log = logging.getLogger(__name__)

USER = "user"
ASSISTANT = "assistant"
MAX_ITEM_CHARS = 20_000  # about 50 minutes of one person speaking without a pause
MAX_ITEMS = 5_000  # a 60-minute call holds a few hundred; more is a server gone wrong


@dataclass
class TranscriptItem:
    item_id: str
    role: str | None = None  # user | assistant | None for items that are not messages
    kind: str = "message"  # message | function_call | function_call_output
    text: str = ""
    final: bool = False  # no more text will come
    status: str = "in_progress"  # in_progress | completed | interrupted | transcription_failed
    previous_item_id: str | None = None
    position_known: bool = False
    created_at: float = field(default_factory=time.time)

    @property
    def visible(self) -> bool:
        return self.kind == "message" and self.role in (USER, ASSISTANT)

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "role": self.role,
            "text": self.text,
            "status": self.status,
            "previous_item_id": self.previous_item_id,
            "created_at": round(self.created_at, 3),
        }


class Transcript:
    def __init__(self) -> None:
        self._items: dict[str, TranscriptItem] = {}
        self._order: list[str] = []
        self.item_did_change: Hook[TranscriptItem] = Hook("item_did_change")
        self._reported_unknown = False
        self._reported_full = False
        self._reported_oversized: set[str] = set()

    # -- what the session tells it ------------------------------------------------------------

    def note_item(
        self,
        item_id: str,
        *,
        role: str | None = None,
        kind: str = "message",
        previous_item_id: str | None = None,
        position_known: bool = False,
    ) -> TranscriptItem | None:
        """Create or update an item; with `position_known`, put it where the server says the
        first time it says so. None when the transcript is full."""
        item = self._items.get(item_id)
        is_new = item is None
        if item is None:
            if len(self._items) >= MAX_ITEMS:
                if not self._reported_full:
                    self._reported_full = True
                    log.warning("the transcript holds %d items; further items are ignored", MAX_ITEMS)
                return None
            item = self._items[item_id] = TranscriptItem(item_id, role=role, kind=kind)
        else:
            item.role = item.role or role
            item.kind = kind if kind != "message" else item.kind
        if position_known and not item.position_known and (is_new or previous_item_id is not None):
            item.previous_item_id, item.position_known = previous_item_id, True
            self._place(item_id)
        elif is_new:
            self._place(item_id)
        self.item_did_change.emit(item)
        return item

    def append_text(self, item_id: str, delta: str) -> TranscriptItem | None:
        item = self._known(item_id)
        if item is not None and delta and not item.final:
            item.text = self._capped(item, item.text + delta)
            self.item_did_change.emit(item)
        return item

    def set_text(self, item_id: str, text: str, *, status: str = "completed") -> TranscriptItem | None:
        """The final text of an item (replaces any deltas: the final transcript is authoritative)."""
        item = self._known(item_id)
        if item is not None:
            item.text, item.final, item.status = self._capped(item, text), True, status
            self.item_did_change.emit(item)
        return item

    def _known(self, item_id: str) -> TranscriptItem | None:
        item = self._items.get(item_id)
        if item is None and not self._reported_unknown:
            self._reported_unknown = True  # once: a flood of them must not flood the log
            log.warning("ignored text for an item the server never announced (%.40s)", item_id)
        return item

    def _capped(self, item: TranscriptItem, text: str) -> str:
        if len(text) <= MAX_ITEM_CHARS:
            return text
        if item.item_id not in self._reported_oversized:
            self._reported_oversized.add(item.item_id)
            log.warning("item %.40s is longer than %d characters; the rest is dropped", item.item_id, MAX_ITEM_CHARS)
        return text[:MAX_ITEM_CHARS]

    def mark(self, item_id: str, status: str) -> None:
        item = self._items.get(item_id)  # unknown ids: nothing to mark
        if item is not None and item.status != status:
            item.status = status
            item.final = status != "in_progress"
            self.item_did_change.emit(item)

    # -- what readers ask ---------------------------------------------------------------------

    def get(self, item_id: str) -> TranscriptItem | None:
        return self._items.get(item_id)

    def items(self) -> list[TranscriptItem]:
        return [self._items[i] for i in self._order]

    def visible_items(self) -> list[TranscriptItem]:
        return [item for item in self.items() if item.visible]

    def to_json(self) -> dict[str, Any]:
        """The visible conversation; each item's `previous_item_id` names the visible item before
        it (tool calls in between are left out, so the chain can be followed)."""
        items, previous = [], None
        for item in self.visible_items():
            items.append({**item.to_json(), "previous_item_id": previous})
            previous = item.item_id
        return {"items": items}

    # -- placement ----------------------------------------------------------------------------

    def _place(self, item_id: str, placed: frozenset[str] = frozenset()) -> None:
        if item_id in self._order:
            self._order.remove(item_id)
        self._order.insert(self._index_for(item_id), item_id)
        # Items that arrived naming this one as predecessor, before we knew it, follow it now
        # (`placed` stops a malformed cycle of predecessors from recursing for ever).
        placed = placed | {item_id}
        for follower in [i for i in self._order if self._follows(i, item_id) and i not in placed]:
            if self._order.index(follower) != self._order.index(item_id) + 1:
                self._place(follower, placed)

    def _follows(self, item_id: str, predecessor: str) -> bool:
        item = self._items[item_id]
        return item.position_known and item.previous_item_id == predecessor

    def _index_for(self, item_id: str) -> int:
        item = self._items[item_id]
        if item.position_known:
            if item.previous_item_id is None:
                return 0
            if item.previous_item_id in self._order:
                return self._order.index(item.previous_item_id) + 1
        for index, other in enumerate(self._order):
            if self._follows(other, item_id):
                return index
        return len(self._order)
