"""The speaker's libpulse thread gets real-time priority where the process may have it, and no
other thread does."""

from __future__ import annotations

import ctypes
import os
import sys
import threading

import pytest

from therapy_desktop.audio import realtime_threads

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux scheduling")


class NamedThread:
    """A thread whose kernel name is `name` (as libpulse names its own), parked until stopped."""

    def __init__(self, name: str) -> None:
        self._name = name.encode()
        self._started, self._stop = threading.Event(), threading.Event()
        self.tid = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._started.wait(5)

    def _run(self) -> None:
        ctypes.CDLL(None).prctl(15, ctypes.c_char_p(self._name), 0, 0, 0)  # PR_SET_NAME
        self.tid = threading.get_native_id()
        self._started.set()
        self._stop.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def test_only_libpulse_threads_started_since_the_snapshot_are_raised():
    earlier = NamedThread("threaded-ml")  # another stream's, already running: not ours to touch
    before = realtime_threads.thread_ids()
    pulse, other = NamedThread("threaded-ml"), NamedThread("worker")
    try:
        baseline = realtime_threads.count()
        realtime_threads.raise_pulse_threads(before)
        expected = os.SCHED_FIFO if realtime_threads.allowed() else os.SCHED_OTHER
        assert os.sched_getscheduler(pulse.tid) == expected
        assert os.sched_getscheduler(other.tid) == os.SCHED_OTHER
        assert os.sched_getscheduler(earlier.tid) == os.SCHED_OTHER
        assert realtime_threads.count() == baseline + (expected == os.SCHED_FIFO)
    finally:
        for thread in (earlier, pulse, other):
            thread.stop()


def test_a_process_without_the_right_is_left_as_it_was(monkeypatch):
    monkeypatch.setattr(realtime_threads, "allowed", lambda: False)
    before = realtime_threads.thread_ids()
    pulse = NamedThread("threaded-ml")
    try:
        realtime_threads.raise_pulse_threads(before)
        assert os.sched_getscheduler(pulse.tid) == os.SCHED_OTHER
    finally:
        pulse.stop()


def test_the_right_is_read_from_the_rlimit_or_the_capability(monkeypatch):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda which: (95, 95))
    assert realtime_threads.allowed()
    monkeypatch.setattr(resource, "getrlimit", lambda which: (0, 0))
    status = open("/proc/self/status").read()
    has_cap = any(line.startswith("CapEff:") and int(line.split()[1], 16) >> 23 & 1 for line in status.splitlines())
    assert realtime_threads.allowed() == has_cap
