"""The rotating log file: where it goes, what level, secrets redacted, rotation, the recent errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from therapy_desktop import logs
from therapy_desktop.redaction import register_secret


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(folder))
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    yield folder
    for handler in [h for h in root.handlers if h not in saved_handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(saved_level)
    logs._recent.clear()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_file_gets_info_and_secrets_are_redacted(log_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = logs.configure_logging()
    assert path == log_folder / logs.LOG_FILE
    register_secret("clinic-token-abcdefgh")
    log = logging.getLogger("therapy_desktop.test")
    log.info("key sk-proj-abcdef123456 and token clinic-token-abcdefgh")
    log.debug("only with --debug")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "[redacted]" in text and "sk-proj" not in text and "clinic-token-abcdefgh" not in text
    assert "only with --debug" not in text
    assert capsys.readouterr().err == ""  # the terminal shows warnings only, by default


def test_debug_writes_debug_to_file_and_terminal(log_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = logs.configure_logging(debug=True)
    logging.getLogger("therapy_desktop.test").debug("details for a bug report")
    logging.getLogger("aiortc").debug("noisy library detail")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "details for a bug report" in text and "noisy library detail" in text
    assert "details for a bug report" in capsys.readouterr().err


def test_headless_terminal_shows_errors_only_but_file_keeps_warnings(log_folder: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = logs.configure_logging(headless=True)
    logging.getLogger("therapy_desktop.test").warning("a warning")
    logging.getLogger("aiortc").info("library chatter")
    _flush()
    assert "a warning" in path.read_text(encoding="utf-8")
    assert "library chatter" not in path.read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""


def test_file_rotates_and_keeps_a_bounded_number(log_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.configure_logging()
    log = logging.getLogger("therapy_desktop.test")
    for i in range(400):
        log.info("line %d %s", i, "x" * 40)
    _flush()
    files = sorted(p.name for p in log_folder.iterdir())
    assert files == [logs.LOG_FILE] + [f"{logs.LOG_FILE}.{n}" for n in range(1, logs.BACKUPS + 1)]
    assert all(p.stat().st_size <= 2_200 for p in log_folder.iterdir())


def test_configuring_twice_does_not_double_lines(log_folder: Path) -> None:
    logs.configure_logging()
    path = logs.configure_logging()
    logging.getLogger("therapy_desktop.test").warning("once")
    _flush()
    assert path.read_text(encoding="utf-8").count("once") == 1


def test_unwritable_log_folder_falls_back_to_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      log_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(blocker / "logs"))
    assert logs.configure_logging() is None
    assert "the log file cannot be written" in capsys.readouterr().err


def test_recent_errors_are_redacted_first_lines_in_order(log_folder: Path) -> None:
    logs.configure_logging()
    log = logging.getLogger("therapy_desktop.test")
    log.info("not an error")
    log.warning("first problem with Bearer abc.def.ghi")
    try:
        raise RuntimeError("boom sk-abcdefghijkl")
    except RuntimeError:
        log.exception("second problem")
    recent = logs.recent_errors()
    assert len(recent) == 2
    assert "first problem" in recent[0] and "abc.def.ghi" not in recent[0]
    assert "second problem" in recent[1] and "\n" not in recent[1] and "sk-abcdef" not in recent[1]


def test_default_folder_is_platformdirs_log_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_log_dir

    monkeypatch.delenv(logs.LOG_DIR_ENV, raising=False)
    assert logs.log_dir() == Path(user_log_dir("therapy-desktop", appauthor=False))
