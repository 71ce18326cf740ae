"""The store's writes and reads against a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from therapy_desktop.storage import (
    ItemRecord,
    ItemKind,
    ItemStatus,
    SessionFlag,
    SessionStatus,
    SessionStore,
    StoreClosed,
    SummaryRecord,
    UnknownSession,
    Usage,
)

from .conftest import item


async def test_a_session_from_start_to_end(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="anxiety", mode="demo", mood_before=4, started_at=1000.0)
    assert store.get_session(sid).status is SessionStatus.CREATED
    await store.set_status(sid, SessionStatus.ACTIVE)
    await store.add_call(sid, "rtc_a", key_expires_at=1060.0, started_at=1001.0)
    await store.add_item(item(sid, 0, "I feel tense."))
    await store.add_item(item(sid, 1, "Let us breathe together."))
    await store.add_usage(sid, Usage(10, 20, 30), cost_usd=0.25)
    await store.add_usage(sid, Usage(1, 2, 3))  # cost unknown for this one: the total stays
    await store.set_summary(sid, SummaryRecord("Tension at work.", ("work",), ("breathing",), ("walk",), "calmer"))
    await store.set_mood_after(sid, 7)
    await store.end_session(sid, end_reason="summary", ended_at=1900.0)

    session = await store.get_session_async(sid)
    assert session.status is SessionStatus.ENDED and session.end_reason == "summary"
    assert (session.mood_before, session.mood_after, session.duration_seconds) == (4, 7, 900.0)
    assert session.usage == Usage(11, 22, 33) and session.estimated_cost_usd == 0.25
    assert session.summary.what_helped == ("breathing",)
    assert [(c.call_id, c.ended_at) for c in session.calls] == [("rtc_a", 1900.0)]  # open calls end with it
    assert [i.text for i in await store.items_async(sid)] == ["I feel tense.", "Let us breathe together."]


async def test_rewriting_an_item_replaces_it_and_order_is_the_sessions_position(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    # Completed out of order: the assistant's reply before the person's late transcription.
    store.add_item(item(sid, 1, "Reply"))
    store.add_item(item(sid, 0, "first words, partl", status=ItemStatus.IN_PROGRESS))
    await store.add_item(item(sid, 0, "first words, in full"))
    items = store.items(sid)
    assert [(i.item_id, i.text, i.status) for i in items] == [
        ("item_0", "first words, in full", ItemStatus.COMPLETED),
        ("item_1", "Reply", ItemStatus.COMPLETED),
    ]


async def test_writes_land_in_call_order_without_being_awaited(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    for position in range(50):
        store.add_item(item(sid, position, f"line {position}"))
    await store.add_flag(sid, SessionFlag.CRISIS)  # queued after them, so they are committed by now
    assert [i.position for i in store.items(sid)] == list(range(50))


async def test_reconnects_keep_every_call_id_and_a_notice_item(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="stress", mode="openai")
    await store.add_call(sid, "rtc_1", key_expires_at=50.0, started_at=1.0)
    await store.add_item(item(sid, 0, "Before the drop", call_id="rtc_1"))
    await store.end_call(sid, "rtc_1", ended_at=20.0)
    await store.add_call(sid, "rtc_2", key_expires_at=90.0, started_at=21.0)
    await store.add_item(item(sid, 1, "Connection renewed", role="", kind=ItemKind.NOTICE))
    await store.add_item(item(sid, 2, "After the drop", call_id="rtc_2"))
    session = store.get_session(sid)
    assert [(c.call_id, c.ended_at) for c in session.calls] == [("rtc_1", 20.0), ("rtc_2", None)]
    assert [(i.kind, i.call_id) for i in store.items(sid)] == [
        (ItemKind.MESSAGE, "rtc_1"), (ItemKind.NOTICE, None), (ItemKind.MESSAGE, "rtc_2")
    ]


async def test_flags_are_sticky_and_found_for_the_next_day_check_in(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo", started_at=100.0)
    await store.add_flag(sid, SessionFlag.CRISIS, detail="local net", raised_at=150.0)
    await store.add_flag(sid, SessionFlag.CRISIS, detail="again", raised_at=160.0)
    other = await store.create_session(therapy_type="general", mode="demo", started_at=200.0)
    assert store.get_session(sid).flags == ("crisis",)
    assert store.get_session(other).flags == ()
    assert [s.session_id for s in store.flagged_sessions_since(SessionFlag.CRISIS, 140.0)] == [sid]
    assert await store.flagged_sessions_since_async("crisis", 151.0) == []  # the first raise counts


async def test_lists_are_newest_first_counts_and_mood_series(store: SessionStore) -> None:
    ids = [await store.create_session(therapy_type="general", mode="demo", started_at=t, mood_before=m)
           for t, m in ((10.0, 3), (30.0, None), (20.0, 5))]
    await store.set_mood_after(ids[0], 6)
    assert [s.started_at for s in await store.list_sessions_async()] == [30.0, 20.0, 10.0]
    assert store.sessions_started_since(20.0) == 2
    assert await store.sessions_started_since_async(31.0) == 0
    assert [(p.started_at, p.mood_before, p.mood_after) for p in await store.mood_history_async()] == [
        (10.0, 3, 6), (20.0, 5, None)
    ]


async def test_bad_input_is_refused_with_a_clear_error(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="from 1 to 10"):
        store.create_session(therapy_type="general", mode="demo", mood_before=11)
    sid = await store.create_session(therapy_type="general", mode="demo")
    with pytest.raises(ValueError, match="from 1 to 10"):
        store.set_mood_after(sid, True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ends as one of"):
        store.end_session(sid, end_reason="x", status=SessionStatus.ACTIVE)
    with pytest.raises(ValueError, match="never stored"):
        store.add_call(sid, "ek_68a1b2c3d4e5f6")
    with pytest.raises(UnknownSession, match="no-such"):
        await store.add_item(item("no-such", 0, "hello"))
    with pytest.raises(UnknownSession):
        await store.end_session("no-such", end_reason="user")
    assert store.get_session("no-such") is None
    assert await store.delete_session("no-such") is False
    # A failed write leaves the writer working.
    await store.add_item(item(sid, 0, "still fine"))
    assert len(store.items(sid)) == 1


async def test_a_closed_store_says_so(db_path: Path) -> None:
    store = SessionStore.open(db_path)
    sid = store.create_session(therapy_type="general", mode="demo")
    store.close()
    store.close()  # twice is fine
    with SessionStore.open(db_path) as reopened:
        assert reopened.list_sessions()[0].session_id == await sid  # committed before the close
    with pytest.raises(StoreClosed):
        store.create_session(therapy_type="general", mode="demo")
    with pytest.raises(StoreClosed):
        store.list_sessions()
    with pytest.raises(StoreClosed):
        await store.list_sessions_async()


async def test_writes_run_on_the_writer_thread_not_the_loops(store: SessionStore) -> None:
    seen: list[str] = []
    store._writer.submit(lambda connection: seen.append(threading.current_thread().name)).result()
    await store.create_session(therapy_type="general", mode="demo")
    assert seen == ["history-writer"] and threading.current_thread().name != "history-writer"


async def test_a_burst_shares_commits_yet_each_write_succeeds_or_fails_alone(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    burst = [store.add_item(item(sid, n, f"line {n}")) for n in range(100)]
    bad = store.add_item(item("no-such", 0, "lost"))  # in the middle of the burst
    burst += [store.add_item(item(sid, n, f"line {n}")) for n in range(100, 200)]
    await asyncio.gather(*burst)
    with pytest.raises(UnknownSession):
        await bad
    assert [i.position for i in store.items(sid)] == list(range(200))


async def test_a_delete_in_a_burst_happens_in_call_order(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    before = [store.add_item(item(sid, n, "x")) for n in range(20)]
    deleted = store.delete_session(sid)
    after = store.add_item(item(sid, 20, "too late"))
    await asyncio.gather(*before)
    assert await deleted is True
    with pytest.raises(UnknownSession):
        await after
    assert store.items(sid) == []


async def test_a_cancelled_write_does_not_happen(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    gate = threading.Event()
    store._writer.submit(lambda connection: gate.wait(10))  # holds the writer so the next ones queue up
    first = store.add_item(item(sid, 0, "kept"))
    cancelled = store.add_item(item(sid, 1, "cancelled"))
    assert cancelled._future.cancel()
    gate.set()
    await first
    assert [i.text for i in store.items(sid)] == ["kept"]


async def test_when_a_batch_cannot_commit_every_write_in_it_says_so(store: SessionStore) -> None:
    sid = await store.create_session(therapy_type="general", mode="demo")
    gate = threading.Event()
    store._writer.submit(lambda connection: gate.wait(10))

    def breaks_at_commit(connection) -> None:  # a reference checked only at COMMIT
        connection.execute("PRAGMA defer_foreign_keys = ON")
        connection.execute("INSERT INTO items (session_id, item_id, position, created_at) VALUES ('ghost', 'g', 0, 1)")

    innocent = store.add_item(item(sid, 0, "same batch"))
    guilty = store._writer.submit(breaks_at_commit)
    gate.set()
    for write in (innocent, guilty):
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            await write
    await store.add_item(item(sid, 1, "the writer goes on"))
    assert [i.text for i in store.items(sid)] == ["the writer goes on"]


async def test_open_async_opens_without_blocking_the_loop(db_path: Path) -> None:
    store = await SessionStore.open_async(db_path)
    try:
        assert await store.list_sessions_async() == []
    finally:
        await store.close_async()


async def test_an_item_without_a_time_gets_the_stores_clock(db_path: Path) -> None:
    with SessionStore.open(db_path, clock=lambda: 4242.0) as store:
        sid = await store.create_session(therapy_type="general", mode="demo")
        await store.add_item(ItemRecord(sid, "a", 0, role="user", text="hi"))
        assert store.items(sid)[0].created_at == 4242.0
        assert store.get_session(sid).started_at == 4242.0
