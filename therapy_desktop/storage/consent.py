"""Which consent text the person accepted, and when: a small file beside the history (the
version only; the text lives in `therapy.consent`). Deleted with everything else by forget."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from therapy_desktop.storage.paths import data_dir

CONSENT_FILE = "consent.json"


def consent_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / CONSENT_FILE


def accepted_version(folder: Path | None = None) -> str | None:
    """The accepted text's version, or None (never accepted, or a file that cannot be read)."""
    try:
        data = json.loads(consent_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def record_acceptance(version: str, folder: Path | None = None, *, clock=time.time) -> None:  # noqa: ANN001
    """Write atomically (a crash never leaves half a file), readable by the person only."""
    path = consent_path(folder)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".consent-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"version": version, "accepted_at": clock()}, out)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


ACCEPT_ENV = "THERAPY_DESKTOP_ACCEPT_TERMS"


def terms_accepted(folder: Path | None = None) -> bool:
    """This text accepted on this machine, or accepted for it by THERAPY_DESKTOP_ACCEPT_TERMS=1
    (QA machines and tests, where the person running it has read them)."""
    from therapy_desktop.therapy.consent import CONSENT_VERSION

    return os.environ.get(ACCEPT_ENV, "").strip() == "1" or accepted_version(folder) == CONSENT_VERSION
