from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from therapy_desktop.storage import ItemKind, ItemRecord, ItemStatus, SessionStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SessionStore]:
    store = SessionStore.open(db_path)
    yield store
    store.close()


def item(session_id: str, position: int, text: str, *, role: str | None = None, kind: ItemKind = ItemKind.MESSAGE,
         status: ItemStatus = ItemStatus.COMPLETED, **extra: object) -> ItemRecord:
    role = role if role is not None else ("user" if position % 2 == 0 else "assistant")
    return ItemRecord(session_id, f"item_{position}", position, role=role, text=text, kind=kind, status=status,
                      created_at=extra.pop("created_at", time.time()), **extra)  # type: ignore[arg-type]
