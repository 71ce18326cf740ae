"""Which process owns a live session: a lock file per open store, released by the OS when the process dies.

Crash recovery must not mark a session `interrupted` while another process (the window, a
headless run) is still holding it: `therapy-desktop history` may run beside a live session. A
store holds an exclusive lock on its own file for as long as it is open; if a second open can
take that lock, the owner is gone (a `kill -9` releases it too).
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from pathlib import Path
from typing import IO

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def owners_folder(database: Path) -> Path:
    return database.with_name(database.name + ".owners")


class OwnerLease:
    """Held from open to close of one store; `token` goes into the sessions it creates."""

    def __init__(self, database: Path) -> None:
        folder = owners_folder(database)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.token = uuid.uuid4().hex
        self._path = folder / f"{self.token}.lock"
        self._handle: IO[bytes] | None = open(self._path, "wb")  # noqa: SIM115 - held until release()
        if not _try_lock(self._handle):
            self._handle.close()
            raise OSError(f"could not lock {self._path}")

    def release(self) -> None:
        if self._handle is None:
            return
        self._handle.close()  # closing drops the lock
        self._handle = None
        with contextlib.suppress(OSError):
            os.unlink(self._path)


def owner_is_alive(database: Path, token: str | None) -> bool:
    """Whether the store that wrote `token` is still open in some process; a dead owner's file is removed."""
    if not token:
        return False
    path = owners_folder(database) / f"{token}.lock"
    try:
        handle = open(path, "rb+")  # noqa: SIM115 - closed below
    except OSError:
        return False
    with handle:
        if not _try_lock(handle):
            return True
    with contextlib.suppress(OSError):
        os.unlink(path)
    return False
