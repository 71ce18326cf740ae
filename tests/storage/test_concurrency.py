"""WAL: another connection reads while the writer writes, and always sees a whole commit."""

from __future__ import annotations

import sqlite3
import threading

from therapy_desktop.storage import SessionStore

from .conftest import item

N = 300


def test_a_reader_on_another_connection_sees_only_whole_commits_while_writing(store: SessionStore) -> None:
    sid = store.create_session(therapy_type="general", mode="demo").result()
    started = threading.Event()
    done = threading.Event()
    seen: list[list[int]] = []
    problems: list[BaseException] = []

    def read_from_another_connection() -> None:
        # Not the store's: a second, independent connection, as another process would have.
        connection = sqlite3.connect(store.path, timeout=0.0)  # no busy waiting: WAL readers must never block
        try:
            started.set()
            while not done.is_set():
                seen.append([row[0] for row in connection.execute(
                    "SELECT position FROM items WHERE session_id = ? ORDER BY position", (sid,))])
            seen.append([row[0] for row in connection.execute(
                "SELECT position FROM items WHERE session_id = ? ORDER BY position", (sid,))])
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            problems.append(exc)
        finally:
            connection.close()

    def read_through_the_store() -> None:
        started.wait()
        while not done.is_set():
            positions = [i.position for i in store.items(sid)]
            if positions != list(range(len(positions))):
                problems.append(AssertionError(f"store read a torn transcript: {positions[:5]}…"))

    readers = [threading.Thread(target=read_from_another_connection), threading.Thread(target=read_through_the_store)]
    for reader in readers:
        reader.start()
    started.wait()
    for position in range(N):
        store.add_item(item(sid, position, f"sentence {position} " * 20)).result()
    done.set()
    for reader in readers:
        reader.join()

    assert problems == []
    assert len(seen) >= 2
    lengths = [len(snapshot) for snapshot in seen]
    assert lengths == sorted(lengths), "a reader went back in time"
    assert all(snapshot == list(range(len(snapshot))) for snapshot in seen), "a reader saw a gap"
    assert seen[-1] == list(range(N))
