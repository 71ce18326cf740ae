"""Logging: a rotating file in the platform's log folder, stderr for the terminal, secrets redacted.

`configure_logging(debug=..., verbose=..., headless=...)` is called once by the composition root. The
file gets INFO (DEBUG with --debug) whatever the terminal shows; stderr stays quiet unless asked. The
last warnings and errors are kept in memory, redacted, for "Copy diagnostics" (`recent_errors()`).
Log lines never carry transcripts: the app logs events and errors, not what anyone said.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path

from therapy_desktop.redaction import RedactingFilter, install_redaction, redact

APP_NAME = "therapy-desktop"
LOG_FILE = "therapy-desktop.log"
LOG_DIR_ENV = "THERAPY_DESKTOP_LOG_DIR"  # tests and portable installs put the log elsewhere
MAX_BYTES = 1_000_000
BACKUPS = 3  # four files at most: ~4 MB
RECENT = 50
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that talk a lot at INFO; their warnings still come through (and everything with --debug).
NOISY = ("aioice", "aiortc", "faster_whisper", "httpx", "httpcore", "asyncio", "PIL", "urllib3")


def log_dir() -> Path:
    """Linux ~/.local/state/therapy-desktop/log, macOS ~/Library/Logs/therapy-desktop,
    Windows %LOCALAPPDATA%\\therapy-desktop\\Logs; THERAPY_DESKTOP_LOG_DIR overrides."""
    override = os.environ.get(LOG_DIR_ENV, "").strip()
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


class _RecentErrors(logging.Handler):
    """Keeps the last WARNING-and-above lines, already redacted, for the diagnostics."""

    def __init__(self, size: int = RECENT) -> None:
        super().__init__(level=logging.WARNING)
        self._lines: collections.deque[str] = collections.deque(maxlen=size)
        self._guard = threading.Lock()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = redact(self.format(record)).splitlines()[0]  # the first line: no traceback in a paste
        except Exception:  # noqa: BLE001 - logging must never raise into the app
            return
        with self._guard:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._guard:
            return list(self._lines)

    def clear(self) -> None:
        with self._guard:
            self._lines.clear()


_recent = _RecentErrors()
_OURS = "_therapy_desktop_handler"


def recent_errors() -> list[str]:
    """The last warnings and errors of this run, oldest first, redacted (at most 50)."""
    return _recent.lines()


def configure_logging(*, debug: bool = False, verbose: bool = False, headless: bool = False) -> Path | None:
    """Set up the root logger; returns the log file, or None when it could not be opened (then the
    app logs to stderr only, and says why once). Calling it again replaces what it set up before."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    file_level = logging.DEBUG if debug else logging.INFO
    if debug:
        console_level = logging.DEBUG
    elif verbose:
        console_level = logging.INFO
    else:
        console_level = logging.ERROR if headless else logging.WARNING
    root.setLevel(min(file_level, console_level))

    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter(FORMAT))
    handlers: list[logging.Handler] = [console, _recent]
    path: Path | None = log_dir() / LOG_FILE
    problem = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                            encoding="utf-8", delay=False)
        file_handler.setLevel(file_level)
        file_handler.setFormatter(logging.Formatter(FORMAT))
        handlers.append(file_handler)
    except OSError as exc:
        problem, path = f"the log file cannot be written ({exc}); logging to the terminal only", None
    for handler in handlers:
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    install_redaction(root)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)
    if problem:
        logging.getLogger(__name__).warning(problem)
    return path


__all__ = ["RedactingFilter", "configure_logging", "log_dir", "recent_errors"]
