"""Run by test_recovery: writes items for ever, printing each one once committed, until it is killed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from therapy_desktop.storage import ItemRecord, SessionStatus, SessionStore


def main(path: Path) -> None:
    store = SessionStore.open(path)
    sid = store.create_session(therapy_type="anxiety", mode="demo").result()
    store.set_status(sid, SessionStatus.ACTIVE).result()
    store.add_call(sid, "rtc_crash", key_expires_at=time.time() + 60).result()
    print("session", sid, flush=True)
    for position in range(100_000):
        role = "user" if position % 2 == 0 else "assistant"
        store.add_item(ItemRecord(sid, f"item_{position}", position, role=role, text=f"words {position}",
                                  created_at=time.time())).result()
        print("written", position, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
