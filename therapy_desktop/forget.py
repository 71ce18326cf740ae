"""Delete everything the app stored on this machine: the history, consent, the safety plan, undelivered
clinic ends, settings and logs — and, when asked, the keys in the keyring. Only the app's own files
are removed (a data folder moved with THERAPY_DESKTOP_DATA_DIR may hold other things: they stay)."""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from therapy_desktop.history_cli import forget_all
from therapy_desktop.realtime.credentials import CLINIC_BACKEND_TOKEN, OPENAI_API_KEY, delete_secret
from therapy_desktop.storage import data_dir
from therapy_desktop.storage.consent import CONSENT_FILE

log = logging.getLogger(__name__)

# Files of ours beside the history in the data folder.
DATA_FILES = (CONSENT_FILE, "safety-plan.json", "pending-backend-ends.json")
APP_FOLDER_NAMES = ("therapy-desktop", "TherapyDesktop")  # the platform folders we create ourselves


def forget_everything(*, credentials: bool, other_folders: tuple[Path, ...] = ()) -> list[Path | str]:
    """Remove it all; returns what went. `other_folders` are the app's own config and log folders
    (removed whole when their name says they are ours, else only emptied of nothing)."""
    folder = data_dir(create=False)
    removed: list[Path | str] = []
    for name in DATA_FILES:
        path = folder / name
        if path.exists():
            path.unlink()
            removed.append(path)
    removed += forget_all(folder)
    for other in other_folders:
        if other.exists() and other.name in APP_FOLDER_NAMES:
            shutil.rmtree(other)
            removed.append(other)
    if credentials:
        for name in (OPENAI_API_KEY, CLINIC_BACKEND_TOKEN):
            with contextlib.suppress(Exception):  # an absent or locked keyring: nothing to delete there
                if delete_secret(name):
                    removed.append(f"keyring: {name}")
    return removed
