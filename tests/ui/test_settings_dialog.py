"""The Settings dialog with a real settings file, a real (in-memory) keyring behind the real
KeyringSecretStore, and a connection test against a loopback server."""

import functools
import gc
import json

import keyring.errors
import pytest
import shiboken6
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
        # Earlier tests' dialogs are garbage now: collect them here, on the Qt thread. Left to a
        # worker thread (a device scan, a model load), the collector would delete Qt objects there.
        gc.collect()
        dialog = SettingsDialog(SettingsStore(), secrets or KeyringSecretStore(timeout=2), test or Recorder("ok"), **tools)
        qtbot.addWidget(dialog)
        dialog.show()
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:  # what a dialog started (its device scan) finishes before the loop closes
        if shiboken6.isValid(dialog):  # a dialog with a parent went with it
            qloop.run_until_complete(dialog.settled())


def in_loop(test):
    """Run the test's body as a coroutine on the qasync loop, as the app runs the dialog."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        kwargs["qloop"].run_until_complete(test(*args, **kwargs))

    return run


async def settle(qloop, condition):
    await wait_until(condition, 20, "the dialog caught up")  # a bound for a stuck dialog, not a speed target


@in_loop
async def test_saving_writes_the_settings_file_and_never_a_secret(make_dialog, qloop, memory_keyring, app_folders):
    dialog = make_dialog()
    dialog.mode.setCurrentIndex(dialog.mode.findData(ConnectMode.OPENAI))
    dialog.voice.setCurrentIndex(dialog.voice.findData("cedar"))
    dialog.turn.setCurrentIndex(dialog.turn.findData("semantic_vad"))
    dialog.eagerness.setCurrentIndex(dialog.eagerness.findData("low"))
    dialog.session_length.setValue(45)
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
    assert stored["settings"]["session_minutes"] == 45
    assert "sk-typed" not in (app_folders / "config" / "settings.json").read_text()
    again = make_dialog()
    assert again.voice.currentData() == "cedar" and again.mode.currentData() == ConnectMode.OPENAI
    assert again.session_length.value() == 45
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


# -- the Audio page and Preview voice ---------------------------------------------------------------

import asyncio  # noqa: E402
import wave  # noqa: E402

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QRadioButton  # noqa: E402

from tests.settings.sound_room import SpeakerRecording, sound_room  # noqa: E402,F401 - the fixture
from tests.settings.speech_server import speech_server  # noqa: E402
from therapy_desktop.audio import device_list  # noqa: E402
from therapy_desktop.audio.modes import AudioMode  # noqa: E402
from therapy_desktop.audio.sinks import write_wav  # noqa: E402
from therapy_desktop.settings import Settings, messages  # noqa: E402
from therapy_desktop.ui.audio_page import SoundTools  # noqa: E402

PREVIEW_KEY = "sk-test-preview-typed-0123456789"


class WavSink:
    """The speaker for a preview: the sample goes into a WAV file (with the device asked for)."""

    def __init__(self, path):
        self.path, self.outputs = path, []

    async def __call__(self, sample, output):
        self.outputs.append(output)
        await asyncio.to_thread(write_wav, self.path, np.frombuffer(sample.pcm, dtype="<i2").astype(np.int16), sample.rate)

    def seconds(self):
        with wave.open(str(self.path)) as f:
            return f.getnframes() / f.getframerate()


def previewer():
    from therapy_desktop.app import voice_previewer
    from therapy_desktop.demo import DemoEngineHost

    demo = DemoEngineHost()
    return voice_previewer(demo), demo


def choose(combo, value):
    combo.setCurrentIndex(combo.findData(value))
    assert combo.currentData() == value, (value, [combo.itemData(i) for i in range(combo.count())])


@in_loop
async def test_preview_plays_the_chosen_openai_voice_on_the_chosen_speaker(make_dialog, qloop, tmp_path):
    SettingsStore().save(Settings(output_device="USB headset"))
    sink = WavSink(tmp_path / "preview.wav")
    preview, _ = previewer()
    async with speech_server() as server:
        dialog = make_dialog(preview_voice=preview, sound=SoundTools(play_sample=sink))
        choose(dialog.mode, ConnectMode.OPENAI)
        choose(dialog.voice, "cedar")
        dialog.base_url.setText(server.base_url)
        dialog.api_key.setText(PREVIEW_KEY)
        dialog.preview_button.click()
        await settle(qloop, lambda: dialog.preview_result.text() == messages.PREVIEW_PLAYED.format(voice="Cedar"))
    assert server.requests[0]["authorization"] == f"Bearer {PREVIEW_KEY}"
    assert server.requests[0]["json"]["voice"] == "cedar"
    assert sink.outputs == ["USB headset"] and abs(sink.seconds() - 1.0) < 0.01
    assert dialog.preview_button.isEnabled() and dialog.audio.play_tone.isEnabled()


@in_loop
async def test_a_preview_refused_shows_the_sentence_and_detail_never_the_key(make_dialog, qloop, tmp_path):
    sink = WavSink(tmp_path / "preview.wav")
    preview, _ = previewer()
    async with speech_server() as server:
        server.answer = "401"
        dialog = make_dialog(preview_voice=preview, sound=SoundTools(play_sample=sink))
        choose(dialog.mode, ConnectMode.OPENAI)
        dialog.base_url.setText(server.base_url)
        dialog.api_key.setText(PREVIEW_KEY)
        dialog.preview_button.click()
        await settle(qloop, lambda: "not accepted" in dialog.preview_result.text())
    assert "HTTP 401 from 127.0.0.1" in dialog.preview_detail.text()
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert not any(PREVIEW_KEY in t or "sk-test" in t for t in texts)
    assert sink.outputs == []  # nothing played


@in_loop
async def test_clinic_mode_says_there_is_no_preview(make_dialog, qloop, tmp_path):
    preview, _ = previewer()
    dialog = make_dialog(preview_voice=preview, sound=SoundTools(play_sample=WavSink(tmp_path / "p.wav")))
    choose(dialog.mode, ConnectMode.BACKEND)
    dialog.preview_button.click()
    await settle(qloop, lambda: dialog.preview_result.text() == messages.PREVIEW_NOT_IN_CLINIC_MODE)


@pytest.mark.slow
@in_loop
async def test_demo_mode_previews_the_demo_engines_own_voice_offline(make_dialog, qloop, tmp_path):
    sink = WavSink(tmp_path / "demo.wav")
    preview, demo = previewer()
    try:
        dialog = make_dialog(preview_voice=preview, sound=SoundTools(play_sample=sink))
        choose(dialog.mode, ConnectMode.DEMO)
        dialog.preview_button.click()
        await wait_until(lambda: dialog.preview_result.text() == messages.PREVIEW_DEMO_PLAYED, 90, "the Demo voice played")
    finally:
        if demo._engine is not None:  # the engine loads its recogniser too: let it finish before the loop goes
            await demo._engine.models.ready()
        await demo.stop()
    with wave.open(str(sink.path)) as f:
        pcm = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)
        assert f.getframerate() == 48_000
    assert len(pcm) / 48_000 > 2.0 and np.sqrt(np.mean(pcm.astype(np.float32) ** 2)) > 300  # a spoken sentence


@in_loop
async def test_without_devices_the_page_says_what_to_do(make_dialog, qloop, monkeypatch):
    monkeypatch.setattr(device_list, "list_devices", lambda kind, rescan=False: [])  # a computer without any
    SettingsStore().save(Settings(input_device="USB headset"))
    dialog = make_dialog()
    dialog.tabs.setCurrentIndex(2)
    await settle(qloop, lambda: dialog.audio.result.text() == messages.NO_MICROPHONE)
    assert [dialog.audio.input.itemText(i) for i in range(dialog.audio.input.count())] == [
        messages.SYSTEM_DEFAULT, "USB headset (not connected)"]
    assert dialog.audio.input.currentText() == "USB headset (not connected)"
    dialog.audio.test_mic.click()
    await dialog.settled()  # the text was already this sentence: wait for the test itself to end
    assert dialog.audio.test_mic.isEnabled() and dialog.audio.result.text() == messages.NO_MICROPHONE
    dialog.audio.play_tone.click()
    await dialog.settled()
    assert dialog.audio.result.text() == messages.NO_SPEAKER
    assert dialog.audio.result.isVisible() and dialog.audio.result.wordWrap()


@in_loop
async def test_nothing_plays_while_a_session_holds_the_devices(make_dialog, qloop, tmp_path):
    sink = WavSink(tmp_path / "p.wav")
    preview, _ = previewer()
    dialog = make_dialog(preview_voice=preview, sound=SoundTools(play_sample=sink), sound_in_use=lambda: True)
    await dialog.settled()
    for button in (dialog.audio.play_tone, dialog.audio.test_mic, dialog.audio.rescan):
        button.click()
        await settle(qloop, lambda: dialog.audio.result.text() == messages.SOUND_BUSY)
        dialog.audio.say("")
    dialog.preview_button.click()
    await settle(qloop, lambda: dialog.preview_result.text() == messages.SOUND_BUSY)
    assert sink.outputs == []


@in_loop
async def test_the_audio_page_is_reachable_by_keyboard_and_named(make_dialog, qloop):
    dialog = make_dialog()
    await dialog.settled()
    dialog.tabs.setCurrentIndex(2)
    page = dialog.audio
    controls = [w for w in page.findChildren(QWidget) if isinstance(w, (QAbstractButton, QComboBox))]
    assert len([c for c in controls if isinstance(c, QRadioButton)]) == len(AudioMode)
    for control in controls:
        assert control.accessibleName(), control
    for mode, radio in page.mode_buttons.items():
        assert radio.accessibleDescription().startswith(messages.MODE_EXPLANATIONS[mode.value])
    # No Talk control in the window yet: push-to-talk would never open the microphone, so it is not offered.
    assert not page.mode_buttons[AudioMode.PUSH_TO_TALK].isEnabled()
    assert messages.PUSH_TO_TALK_UNAVAILABLE in page.mode_buttons[AudioMode.PUSH_TO_TALK].accessibleDescription()
    assert make_dialog(push_to_talk=True).audio.mode_buttons[AudioMode.PUSH_TO_TALK].isEnabled()
    page.input.setFocus()
    reached = set()
    for _ in range(20):
        reached.add(dialog.focusWidget())
        dialog.focusNextChild()
    for widget in (page.input, page.output, page.rescan, page.play_tone, page.test_mic):
        assert widget in reached, widget.accessibleName()
    assert any(isinstance(w, QRadioButton) for w in reached)  # the group is one tab stop; arrows move within


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
@in_loop
async def test_devices_and_mode_chosen_on_the_page_are_saved_and_a_missing_one_kept(make_dialog, qloop, app_folders):
    SettingsStore().save(Settings(input_device="USB headset"))
    dialog = make_dialog()
    await dialog.settled()
    inputs = [dialog.audio.input.itemText(i) for i in range(dialog.audio.input.count())]
    assert inputs[0].startswith(messages.SYSTEM_DEFAULT) and inputs[-1] == "USB headset (not connected)"
    assert dialog.audio.input.currentText() == "USB headset (not connected)"
    choose(dialog.audio.output, "pulse")
    dialog.audio.mode_buttons[AudioMode.SPEAKERS].click()
    dialog.save()
    stored = json.loads((app_folders / "config" / "settings.json").read_text())["settings"]
    assert stored["input_device"] == "USB headset" and stored["output_device"] == "pulse"
    assert stored["audio_mode"] == "speakers"


@pytest.mark.devices
@pytest.mark.usefixtures("sound_room")
@in_loop
async def test_play_test_sound_reaches_the_speaker_without_freezing_the_dialog(make_dialog, qloop, tmp_path):
    dialog = make_dialog()
    await dialog.settled()
    async with SpeakerRecording(tmp_path / "tone.wav") as heard:
        dialog.audio.play_tone.click()
        await settle(qloop, lambda: dialog.audio.result.text() == messages.PLAYING_TONE)
        assert not dialog.audio.rescan.isEnabled() and not dialog.audio.test_mic.isEnabled()  # one sound at a time
        ticks = []
        while dialog.audio.result.text() == messages.PLAYING_TONE:  # the loop keeps turning meanwhile
            ticks.append(dialog.audio.result.text())
            await asyncio.sleep(0.05)
    assert dialog.audio.result.text().startswith("A short tone played on")
    assert len(ticks) > 5 and heard.loud_seconds() > 0.7
    dialog.audio.rescan.click()
    await settle(qloop, lambda: dialog.audio.result.text().startswith("Found "))


def test_a_device_notice_from_the_session_is_shown_in_the_window(qtbot, qloop, tmp_path):
    """The session's fallback sentence (a chosen device not connected) reaches the person."""
    from tests.ui.scripted import make_rig
    from therapy_desktop.audio import texts as audio_texts
    from therapy_desktop.session.state import SessionState

    rig = make_rig(qtbot, tmp_path, history=False)
    notice = audio_texts.DEVICE_NOT_FOUND.format(kind="microphone", name="USB headset")

    async def scenario():
        qtbot.mouseClick(rig.window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")
        rig.sessions[0].audio.notice_did_occur.emit(notice)
        assert rig.window.error_banner.isVisible() and rig.window.error_banner.label.text() == notice
        rig.window.controller.end()
        await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())


@pytest.mark.skipif(__import__("shutil").which("xvfb-run") is None, reason="needs Xvfb for a screen of a chosen size")
@pytest.mark.parametrize("screen", ["1366x768", "1920x1080"])
def test_the_dialog_fits_the_screen_at_2x_scaling_on_every_page(screen, app_folders):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(root)}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, str(root / "tests/ui/probes/settings_dialog_probe.py")],
        capture_output=True, text=True, env=env, cwd=root, timeout=60, check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    x, y, width, height = seen["available"]
    assert seen["dpr"] == 2.0
    for page in seen["pages"]:
        fx, fy, fwidth, fheight = page["frame"]
        assert fwidth <= width and fheight <= height, (screen, seen)  # the dialog fits; a tall page scrolls
        assert page["content_min_width"] <= page["viewport_width"], (screen, page)  # no sideways scrolling


@in_loop
async def test_a_dark_palette_reaches_every_widget_of_every_page(make_dialog, qloop, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_window_for_everyone import _assert_dark
    from therapy_desktop.ui.style import dark_palette, style_sheet

    monkeypatch.setattr(device_list, "list_devices", lambda kind, rescan=False: [])  # the no-device sentence shows too
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        window = QWidget()  # the main window, whose style sheet its dialogs inherit
        window.setStyleSheet(style_sheet(dark_palette()))
        dialog = make_dialog(parent=window, preview_voice=previewer()[0])
        await dialog.settled()
        for page in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(page)
            _assert_dark(dialog)
        dialog.setParent(None)  # pytest-qt closes the dialog itself
    finally:
        app.setPalette(light)
