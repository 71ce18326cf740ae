"""The conversation as the person reads it: items keyed by `item_id`, ordered by `previous_item_id`.

Events arrive out of order: the person's transcription often lands after the therapist has
started answering, and a server may name an item's predecessor before we have seen it. So
placement never follows arrival: each item sits right after the item the server says precedes
it; an item whose place is not known yet goes before any item that names it as predecessor,
else at the end, and moves once its place is known.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.session.hooks import Hook

USER = "user"
ASSISTANT = "assistant"


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

    # -- what the session tells it ------------------------------------------------------------

    def note_item(
        self,
        item_id: str,
        *,
        role: str | None = None,
        kind: str = "message",
        previous_item_id: str | None = None,
        position_known: bool = False,
    ) -> TranscriptItem:
        """Create or update an item; with `position_known`, put it where the server says."""
        item = self._items.get(item_id)
        is_new = item is None
        if item is None:
            item = self._items[item_id] = TranscriptItem(item_id, role=role, kind=kind)
        else:
            item.role = item.role or role
            item.kind = kind if kind != "message" else item.kind
        if position_known and not (item.position_known and item.previous_item_id == previous_item_id):
            item.previous_item_id, item.position_known = previous_item_id, True
            self._place(item_id)
        elif is_new:
            self._place(item_id)
        self.item_did_change.emit(item)
        return item

    def append_text(self, item_id: str, delta: str, *, role: str | None = None) -> TranscriptItem:
        item = self._items.get(item_id) or self.note_item(item_id, role=role)
        if delta and not item.final:
            item.text += delta
            self.item_did_change.emit(item)
        return item

    def set_text(self, item_id: str, text: str, *, role: str | None = None, status: str = "completed") -> TranscriptItem:
        """The final text of an item (replaces any deltas: the final transcript is authoritative)."""
        item = self._items.get(item_id) or self.note_item(item_id, role=role)
        item.text, item.final, item.status = text, True, status
        self.item_did_change.emit(item)
        return item

    def mark(self, item_id: str, status: str) -> None:
        item = self._items.get(item_id)
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
