"""The settings file: `settings.json` in the platform's config folder (THERAPY_DESKTOP_CONFIG_DIR moves it).

    {"version": 1, "settings": {...}}

Written atomically (a crash mid-save leaves the old file). A file that cannot be read is kept
aside and the defaults used: a broken file never stops the app from starting.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

from platformdirs import user_config_dir

from therapy_desktop.settings import messages
from therapy_desktop.settings.model import Settings, validate

log = logging.getLogger(__name__)

CONFIG_DIR_ENV = "THERAPY_DESKTOP_CONFIG_DIR"
FILE_NAME = "settings.json"
VERSION = 1


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(user_config_dir("therapy-desktop", appauthor=False))


class SettingsSaveError(Exception):
    """`str()` is the sentence for the person."""


class SettingsStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / FILE_NAME
        self.notice: str | None = None  # set by `load` when the file was unreadable (tell the person once)

    def load(self) -> Settings:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except OSError as exc:
            log.warning("settings file unreadable (%s); using defaults", type(exc).__name__)
            return Settings()
        try:
            document = json.loads(text)
            if not isinstance(document, dict) or not isinstance(document.get("version"), int):
                raise ValueError("not a settings document")
            if document["version"] > VERSION:
                log.warning("settings file version %s is newer than %s; reading what is known", document["version"], VERSION)
            settings, dropped = Settings.from_json(document.get("settings"))
        except ValueError as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            log.warning("settings file %s is not valid (%s); kept as %s", self.path, exc, aside.name)
            self.notice = messages.UNREADABLE_FILE.format(name=aside.name)
            return Settings()
        if dropped:
            log.warning("settings: invalid values replaced by defaults: %s", ", ".join(dropped))
        return settings

    def save(self, settings: Settings) -> None:
        problems = validate(settings)
        if problems:
            raise SettingsSaveError(problems[0].message)
        folder = self.path.parent
        body = json.dumps({"version": VERSION, "settings": settings.to_json()}, indent=2, sort_keys=True)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".settings-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    file.write(body + "\n")
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as exc:
            raise SettingsSaveError(messages.cannot_save(str(folder), exc.strerror or type(exc).__name__)) from None
