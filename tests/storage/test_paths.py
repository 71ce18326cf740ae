from __future__ import annotations

from pathlib import Path

import pytest

from therapy_desktop.storage import DATA_DIR_ENV, data_dir, database_path


def test_the_environment_moves_the_data_folder_which_is_created_private(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "portable" / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    assert data_dir() == folder
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    assert database_path() == folder / "history.sqlite3"


def test_without_the_override_it_is_the_platforms_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir(create=False) == Path(user_data_dir("therapy-desktop", appauthor=False))
