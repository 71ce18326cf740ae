"""Real-time scheduling for the speaker's threads, where the user may have it (Linux).

The speaker's callback is C and never waits on the interpreter, but at normal priority a busy
core still delays the threads that carry its samples past the device's deadline: PortAudio's
callback thread, and below ALSA's PulseAudio plugin libpulse's own thread ("threaded-ml"), which
writes them to the server. Both get SCHED_FIFO at the lowest real-time priority when the process
may (RLIMIT_RTPRIO above 0, or CAP_SYS_NICE); otherwise everything runs as before. Core Audio
and WASAPI raise their audio threads themselves.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import sys
from typing import Any

log = logging.getLogger(__name__)

_CAP_SYS_NICE = 23
_PRIORITY = 1  # above every normal thread, below the sound server's own (PulseAudio: 5)


def allowed() -> bool:
    """Whether this process may give its threads real-time priority."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, ValueError):
        if resource.getrlimit(resource.RLIMIT_RTPRIO)[0] >= _PRIORITY:
            return True
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> _CAP_SYS_NICE & 1)
    return False


def thread_ids() -> set[int]:
    with contextlib.suppress(OSError):
        return {int(tid) for tid in os.listdir("/proc/self/task")}
    return set()


def ask_portaudio(sd: Any, stream: Any) -> None:
    """Before `stream.start()`: PortAudio's ALSA host API starts its callback thread SCHED_FIFO
    when asked (and carries on at normal priority if refused)."""
    if not allowed():
        return
    try:
        if sd.query_hostapis(sd.query_devices(stream.device)["hostapi"])["name"] != "ALSA":
            return
        enable = ctypes.CDLL(sd._libname).PaAlsa_EnableRealtimeScheduling
        enable.argtypes, enable.restype = [ctypes.c_void_p, ctypes.c_int], None
        enable(int(sd._ffi.cast("uintptr_t", stream._ptr)), 1)
    except (AttributeError, OSError, ValueError, TypeError, sd.PortAudioError) as exc:  # an older or odd PortAudio
        log.debug("no real-time scheduling for PortAudio (%s)", exc)


def raise_pulse_threads(before: set[int]) -> None:
    """libpulse's threads started since `before` (the stream's own) get real-time priority."""
    if not allowed():
        return
    for tid in thread_ids() - before:
        with contextlib.suppress(OSError):
            with open(f"/proc/self/task/{tid}/comm") as comm:
                if comm.read().strip() != "threaded-ml":
                    continue
            os.sched_setscheduler(tid, os.SCHED_FIFO, os.sched_param(_PRIORITY))


def count() -> int:
    """How many of this process's threads run real-time (for the log and diagnostics)."""
    running = 0
    for tid in thread_ids():
        with contextlib.suppress(OSError):
            running += os.sched_getscheduler(tid) in (os.SCHED_FIFO, os.SCHED_RR)
    return running
