"""The real keyring path: Settings dialog Save → gnome-keyring over D-Bus → a NEW process reads it back
through `read_secret`, the function sessions use. Remove → the new process finds nothing."""

from __future__ import annotations

import functools
import os
import subprocess
import sys

import keyring
import pytest
from keyring.backends import SecretService

from tests.secret_service import secret_service_env
from tests.ui.conftest import qloop  # noqa: F401, F811 - the qasync loop fixture
from tests.waiting import wait_until
from therapy_desktop.realtime.secrets import KeyringSecretStore
from therapy_desktop.settings import SettingsStore

KEY = "sk-real-keyring-test-0123456789abcdef"
READ_BACK = (
    "import sys; from therapy_desktop.realtime.credentials import read_secret; "
    "value = read_secret('openai-api-key'); "
    "sys.exit(0 if value == sys.stdin.read() else (3 if value is None else 4))"
)


@pytest.fixture
def real_keyring(tmp_path, monkeypatch):
    for env in secret_service_env(tmp_path / "secret-service"):
        for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
            monkeypatch.setenv(name, env[name])
        previous = keyring.get_keyring()
        keyring.set_keyring(SecretService.Keyring())
        yield env
        keyring.set_keyring(previous)


def read_back_in_a_new_process(expected: str) -> int:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run([sys.executable, "-c", READ_BACK], input=expected, text=True, env=env,
                          capture_output=True, timeout=60, cwd=os.getcwd())
    assert KEY not in done.stdout + done.stderr
    return done.returncode


def in_loop(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        kwargs["qloop"].run_until_complete(test(*args, **kwargs))

    return run


@in_loop
async def test_dialog_save_is_read_back_by_a_new_process_then_removed(real_keyring, qtbot, qloop, app_folders):  # noqa: F811
    from therapy_desktop.ui.settings_dialog import SettingsDialog

    async def never(*_):
        raise AssertionError("no test here")

    dialog = SettingsDialog(SettingsStore(), KeyringSecretStore(timeout=20), never)
    qtbot.addWidget(dialog)
    dialog.api_key.setText(KEY)
    dialog.save_key.click()
    await wait_until(lambda: "Saved in your password store" in dialog.api_key_status.text(), 30, "saved")
    assert read_back_in_a_new_process(KEY) == 0
    dialog.remove_key.click()
    await wait_until(lambda: "Removed" in dialog.api_key_status.text(), 30, "removed")
    assert read_back_in_a_new_process(KEY) == 3
    for path in app_folders.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
