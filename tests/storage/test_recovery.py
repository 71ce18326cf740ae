"""A session left live by a dead process is `interrupted`; one held by a live process is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from therapy_desktop.storage import EndReason, SessionStatus, SessionStore

from .conftest import item

ROOT = Path(__file__).resolve().parents[2]


def test_a_session_whose_store_closed_while_active_is_recovered_on_open(db_path: Path) -> None:
    with SessionStore.open(db_path) as first:
        sid = first.create_session(therapy_type="anxiety", mode="demo", started_at=100.0).result()
        first.set_status(sid, SessionStatus.ACTIVE).result()
        first.add_item(item(sid, 0, "hello", created_at=130.0)).result()
        ended = first.create_session(therapy_type="anxiety", mode="demo").result()
        first.end_session(ended, end_reason="user").result()
    with SessionStore.open(db_path) as second:
        assert second.recovered == (sid,)
        session = second.get_session(sid)
        assert session.status is SessionStatus.INTERRUPTED and session.end_reason == EndReason.CRASH
        assert session.ended_at == 130.0  # the last thing known of it
        assert second.get_session(ended).status is SessionStatus.ENDED
        assert second.recover_interrupted() == []  # nothing twice


def test_a_session_another_open_store_holds_is_not_taken_for_a_crash(db_path: Path) -> None:
    with SessionStore.open(db_path) as live:
        sid = live.create_session(therapy_type="general", mode="demo").result()
        live.set_status(sid, SessionStatus.ACTIVE).result()
        with SessionStore.open(db_path) as history_command:
            assert history_command.recovered == ()
            assert history_command.get_session(sid).status is SessionStatus.ACTIVE
        live.end_session(sid, end_reason="user").result()
        assert live.get_session(sid).status is SessionStatus.ENDED


def test_kill_9_mid_session_loses_no_confirmed_item(db_path: Path) -> None:
    """A real process writes items, says which are committed, and is killed with SIGKILL mid-stream."""
    confirm_before_kill = 40
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crashing_writer", str(db_path)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None
        session_line = child.stdout.readline().split()
        assert session_line[0] == "session", session_line
        sid = session_line[1]
        confirmed = -1
        while confirmed < confirm_before_kill:
            line = child.stdout.readline()
            assert line.startswith("written "), f"child stopped early: {line!r}"
            confirmed = int(line.split()[1])
        child.send_signal(signal.SIGKILL)  # mid-stream: the child is still writing
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    with SessionStore.open(db_path) as store:
        assert store.recovered == (sid,)
        session = store.get_session(sid)
        assert session.status is SessionStatus.INTERRUPTED and session.end_reason == "crash"
        positions = [i.position for i in store.items(sid)]
        assert positions[: confirmed + 1] == list(range(confirmed + 1)), "a confirmed item is missing"
        assert positions == list(range(len(positions))), "an item is torn or duplicated"
        assert [c.call_id for c in session.calls] == ["rtc_crash"]
