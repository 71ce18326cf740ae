"""Giving back the memory a finished call used.

Each call allocates a few MB natively (Opus coders, resamplers, SRTP/DTLS, the VAD context, numpy
buffers) on aiortc's and the engine's worker threads. All of it is freed when the call closes,
but glibc keeps freed memory in its per-thread arenas instead of returning it, so the engine's
RSS rose with every burst of calls and stayed (measured: 383 → 723 MB over 150 calls; 50
concurrent calls, closed, left +220 MB that `malloc_trim(0)` gave straight back)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
from functools import cache

log = logging.getLogger(__name__)


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None  # macOS and Windows allocators return freed pages themselves
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc only; musl has none
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_freed_memory() -> None:
    """Collect reference cycles (aiortc's peer objects form many), then hand free heap pages back
    to the OS. Tens of milliseconds: call it when the engine is idle, not during a call."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
