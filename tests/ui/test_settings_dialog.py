"""The Settings dialog with a real settings file, a real (in-memory) keyring behind the real
KeyringSecretStore, and a connection test against a loopback server."""

import functools
import json

import keyring.errors
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from tests.waiting import wait_until
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.errors import AuthenticationFailed
from therapy_desktop.realtime.secrets import KeyringSecretStore
from therapy_desktop.settings import SettingsStore


class Recorder:
    def __init__(self, result=None, error=None):
        self.calls, self.result, self.error = [], result, error

    async def __call__(self, settings, typed_key):
        self.calls.append((settings, typed_key))
        if self.error:
            raise self.error
        return self.result


@pytest.fixture
def make_dialog(qtbot, qloop, app_folders):
    from therapy_desktop.ui.settings_dialog import SettingsDialog

    made = []

    def make(test=None, secrets=None, **tools):
        dialog = SettingsDialog(SettingsStore(), secrets or KeyringSecretStore(timeout=2), test or Recorder("ok"), **tools)
        qtbot.addWidget(dialog)
        dialog.show()
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:  # what a dialog started (its device scan) finishes before the loop closes
        qloop.run_until_complete(dialog.settled())


def in_loop(test):
    """Run the test's body as a coroutine on the qasync loop, as the app runs the dialog."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        kwargs["qloop"].run_until_complete(test(*args, **kwargs))

    return run


async def settle(qloop, condition):
    await wait_until(condition, 5, "the dialog caught up")


@in_loop
async def test_saving_writes_the_settings_file_and_never_a_secret(make_dialog, qloop, memory_keyring, app_folders):
    dialog = make_dialog()
    dialog.mode.setCurrentIndex(dialog.mode.findData(ConnectMode.OPENAI))
    dialog.voice.setCurrentIndex(dialog.voice.findData("cedar"))
    dialog.turn.setCurrentIndex(dialog.turn.findData("semantic_vad"))
    dialog.eagerness.setCurrentIndex(dialog.eagerness.findData("low"))
    dialog.api_key.setText("sk-typed-but-secret-123456")
    dialog.save_key.click()
    await settle(qloop, lambda: "Saved" in dialog.api_key_status.text() and not dialog.api_key.text())
    assert memory_keyring.secrets[("therapy-desktop", "openai-api-key")] == "sk-typed-but-secret-123456"
    assert dialog.api_key.text() == "" and "Saved" in dialog.api_key_status.text()
    dialog.save()
    stored = json.loads((app_folders / "config" / "settings.json").read_text())
    assert stored["version"] == 1
    assert stored["settings"]["mode"] == "openai" and stored["settings"]["voice"] == "cedar"
    assert stored["settings"]["turn_detection"] == "semantic_vad" and stored["settings"]["eagerness"] == "low"
    assert "sk-typed" not in (app_folders / "config" / "settings.json").read_text()
    again = make_dialog()
    assert again.voice.currentData() == "cedar" and again.mode.currentData() == ConnectMode.OPENAI
    assert not again.threshold.isEnabled() and again.eagerness.isEnabled()


@in_loop
async def test_remove_deletes_the_key(make_dialog, qloop, memory_keyring):
    memory_keyring.set_password("therapy-desktop", "openai-api-key", "sk-old-key-123456")
    dialog = make_dialog()
    await settle(qloop, lambda: "Saved" in dialog.api_key_status.text())
    dialog.remove_key.click()
    await settle(qloop, lambda: "Removed" in dialog.api_key_status.text())
    assert ("therapy-desktop", "openai-api-key") not in memory_keyring.secrets


@in_loop
async def test_a_locked_keyring_is_explained_with_the_environment_variable(make_dialog, qloop, memory_keyring, monkeypatch):
    def locked(*_):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    dialog = make_dialog()
    dialog.api_key.setText("sk-some-key-1234567")
    dialog.save_key.click()
    await settle(qloop, lambda: "locked" in dialog.api_key_status.text())
    text = dialog.api_key_status.text()
    assert "OPENAI_API_KEY" in text and "therapy-desktop" not in text and "sk-some" not in text


@in_loop
async def test_an_invalid_backend_address_is_refused_with_the_clinic_sentence(make_dialog, qloop):
    dialog = make_dialog()
    dialog.backend_url.setText("http://clinic.example.org")
    dialog.save()
    assert dialog.isVisible()
    assert "must start with https://" in dialog.message.text()


@in_loop
async def test_the_test_button_shows_the_sentence_and_the_detail(make_dialog, qloop):
    failing = Recorder(error=AuthenticationFailed("Your OpenAI API key was not accepted.", detail="HTTP 401 from api"))
    dialog = make_dialog(test=failing)
    dialog.api_key.setText("sk-typed-key-1234567")
    dialog.test_button.click()
    await settle(qloop, lambda: "not accepted" in dialog.test_result.text())
    assert dialog.test_detail.text() == "HTTP 401 from api"
    assert failing.calls[0][1] == "sk-typed-key-1234567" and dialog.test_button.isEnabled()


@in_loop
async def test_environment_overrides_are_shown_without_revealing_secrets(make_dialog, monkeypatch, qloop):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123456789")
    monkeypatch.setenv("THERAPY_DESKTOP_BACKEND_URL", "https://clinic.example.org")
    dialog = make_dialog()
    key_note = dialog.findChild(QLabel, "override_openai_api_key")
    url_note = dialog.findChild(QLabel, "override_backend_url")
    assert "OPENAI_API_KEY" in key_note.text() and "sk-from-env" not in key_note.text()
    assert "https://clinic.example.org" in url_note.text()
    assert dialog.findChild(QLabel, "override_mode") is None


@in_loop
async def test_every_field_has_an_accessible_name_and_a_linked_label(make_dialog, qloop):
    dialog = make_dialog()
    fields = [w for w in dialog.findChildren(QWidget) if isinstance(w, (QComboBox, QLineEdit)) and w.parent() is not None
              and not isinstance(w.parent(), QComboBox) and w.objectName() != "qt_spinbox_lineedit"]
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    for field in fields:
        assert field.accessibleName(), field
        assert field in buddies, field.accessibleName()
        assert field.focusPolicy() & Qt.FocusPolicy.TabFocus, field.accessibleName()
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Password


@in_loop
async def test_tab_reaches_every_control_of_the_connection_page(make_dialog, qtbot, qloop):
    dialog = make_dialog()
    dialog.mode.setCurrentIndex(dialog.mode.findData(ConnectMode.OPENAI))
    dialog.mode.setFocus()
    reached = set()
    for _ in range(30):
        reached.add(dialog.focusWidget())
        dialog.focusNextChild()
    for widget in (dialog.api_key, dialog.save_key, dialog.remove_key, dialog.test_button, dialog.model, dialog.base_url):
        assert widget in reached, widget.accessibleName()


@in_loop
async def test_mnemonics_on_each_visible_page_are_unique(make_dialog, qloop):
    from PySide6.QtWidgets import QAbstractButton

    dialog = make_dialog()
    for mode in (ConnectMode.OPENAI, ConnectMode.BACKEND):
        for tab in range(dialog.tabs.count()):
            dialog.mode.setCurrentIndex(dialog.mode.findData(mode))
            dialog.tabs.setCurrentIndex(tab)
            texts = [w.text() for w in dialog.findChildren(QWidget) if isinstance(w, (QLabel, QAbstractButton))
                     and w.isVisible() and "&" in w.text()]
            texts += [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
            keys = [t[t.index("&") + 1].lower() for t in texts]
            assert len(keys) == len(set(keys)), (mode, tab, sorted(texts))
