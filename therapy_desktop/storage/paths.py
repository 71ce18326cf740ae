"""Where the history lives: the platform's data folder, or THERAPY_DESKTOP_DATA_DIR."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from platformdirs import user_data_dir

from therapy_desktop.storage.owners import owners_folder

DATA_DIR_ENV = "THERAPY_DESKTOP_DATA_DIR"
DATABASE_NAME = "history.sqlite3"


def data_dir(*, create: bool = True) -> Path:
    """The data folder (THERAPY_DESKTOP_DATA_DIR moves it: tests, portable installs).

    Created readable by the person only (0700): it holds what they said in their sessions.
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    folder = Path(override).expanduser() if override else Path(user_data_dir("therapy-desktop", appauthor=False))
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def database_path(folder: Path | None = None) -> Path:
    return (folder if folder is not None else data_dir()) / DATABASE_NAME


def database_files(database: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it (WAL, shared memory, rollback journal)."""
    return [database] + [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def remove_database(database: Path) -> list[Path]:
    """Remove a history database and every file SQLite and the store keep beside it; returns what it removed.
    Only for a database no store in this process has open (`SessionStore.delete_everything` closes first)."""
    removed = []
    for path in database_files(database):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    owners = owners_folder(database)
    if owners.exists():
        shutil.rmtree(owners, ignore_errors=True)
        removed.append(owners)
    return removed
