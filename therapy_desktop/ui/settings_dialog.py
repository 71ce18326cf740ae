"""The Settings dialog: how to connect (Demo / OpenAI / Clinic backend), the voice (with a
preview) and turn taking, and the Audio page (devices, their tests, how the person listens). Settings go to a `SettingsStore`; the API key and the clinic token only to the
injected `SecretStore` (the OS keyring). The dialog never reads a secret back: it only asks whether
one is saved, and shows which fields an environment variable currently overrides.

Keyring calls and the connection test are coroutines run on the qasync loop; the buttons are
disabled while they run, so nothing freezes and nothing runs twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.secret_store import SecretName, SecretStore
from therapy_desktop.realtime.session_config import EAGERNESS, realtime_models, transcription_models, voices
from therapy_desktop.realtime.voice_preview import Preview, has_preview
from therapy_desktop.settings import Settings, SettingsSaveError, SettingsStore, environment_overrides, messages, validate
from therapy_desktop.settings.model import SESSION_MINUTES
from therapy_desktop.ui.audio_page import AudioPage, SoundTools
from therapy_desktop.ui.result_lines import ResultLines
from therapy_desktop.ui.window_size import opening_size

log = logging.getLogger(__name__)

MODE_LABELS = {None: "Automatic (OpenAI if an API key is saved, else Demo)", ConnectMode.DEMO: "Demo (offline, on this computer)",
               ConnectMode.OPENAI: "OpenAI (your API key)", ConnectMode.BACKEND: "Clinic backend (your clinic's token)"}
NOISE_LABELS = {"near_field": "Near field (headset)", "far_field": "Far field (laptop or desk microphone)", "off": "Off"}
SESSION_LENGTH_TIP = ("A few minutes before this, the AI companion says the time is nearly up; at it, "
                      "it brings the session to a gentle close with a summary.")
TURN_LABELS = {"server_vad": "By pauses (server VAD)", "semantic_vad": "By meaning (semantic VAD)"}
TESTING = "Testing…"
SAVED = "Saved in your password store (keyring)."
NOT_SAVED = "Not saved."
REMOVED = "Removed from your password store."
TestConnection = Callable[[Settings, str | None], Awaitable[str]]
# (settings as shown, the typed API key or None) → the sample and the sentence for after it played
PreviewVoice = Callable[[Settings, str | None], Awaitable[Preview]]


@dataclass(frozen=True)
class SettingsTools:
    """What the dialog works with, given by the composition root (the UI never reaches the keyring)."""

    store: SettingsStore
    secrets: SecretStore
    test_connection: TestConnection
    preview_voice: PreviewVoice | None = None  # None: no preview in this build
    sound: SoundTools = field(default_factory=SoundTools)
    sound_in_use: Callable[[], bool] = lambda: False  # a session holds the devices: no tests, no rescan
    push_to_talk: bool = False  # the window has a Talk control (Space / a button): offer the mode

    def dialog(self, parent: QWidget | None = None) -> SettingsDialog:
        return SettingsDialog(self.store, self.secrets, self.test_connection, parent, preview_voice=self.preview_voice,
                              sound=self.sound, sound_in_use=self.sound_in_use, push_to_talk=self.push_to_talk)


class SettingsDialog(QDialog):
    """`test_connection(settings, typed_api_key_or_None)` returns the success sentence or raises an
    error whose `str()` is the sentence and whose `detail` (if any) is the detail line."""

    def __init__(
        self,
        settings_store: SettingsStore,
        secrets: SecretStore,
        test_connection: TestConnection,
        parent: QWidget | None = None,
        *,
        preview_voice: PreviewVoice | None = None,
        sound: SoundTools | None = None,
        sound_in_use: Callable[[], bool] = lambda: False,
        push_to_talk: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self._store, self._secrets, self._test_connection = settings_store, secrets, test_connection
        self._preview_voice, self._sound, self._sound_in_use = preview_voice, sound or SoundTools(), sound_in_use
        self._push_to_talk = push_to_talk
        self._settings = settings_store.load()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._secret_changes: dict[SecretName, int] = {}
        self._overrides = environment_overrides()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings pages")
        pages = [self._connection_page(), self._voice_page(), self._audio_page()]
        for page, title in zip(pages, ("&Connection", "&Voice and turns", "&Audio"), strict=True):
            self.tabs.addTab(self._scrolling(page), title)
        self.message = QLabel(settings_store.notice or "")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Settings message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save settings")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Close without saving")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._fit_screen(pages)
        self._show(self._settings)
        self.voice.currentIndexChanged.connect(self._voice_changed)
        self._voice_changed()
        self._mode_changed()
        self._turn_changed()
        self._run(self._refresh_saved_secrets())

    # -- pages ------------------------------------------------------------------------------------

    def _connection_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.mode = self._combo("Connection", {k: v for k, v in MODE_LABELS.items()})
        self._row(form, "Co&nnection:", self.mode, "mode")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.mode_pages = QStackedWidget()
        self.mode_pages.addWidget(self._demo_box())
        self.mode_pages.addWidget(self._openai_box())
        self.mode_pages.addWidget(self._backend_box())
        form.addRow(self.mode_pages)
        return page

    def _demo_box(self) -> QWidget:
        box = QWidget()
        label = QLabel("Demo mode talks to a small companion that runs entirely on this computer. No key is needed "
                       "and nothing leaves the computer; its answers are simpler than OpenAI's.")
        label.setWordWrap(True)
        QVBoxLayout(box).addWidget(label)
        return box

    def _openai_box(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.api_key = self._secret_field("OpenAI API key", "sk-…")
        self._row(form, "API &key:", self.api_key, "openai_api_key")
        self.api_key_status = QLabel(NOT_SAVED)
        self.api_key_status.setAccessibleName("API key status")
        self.save_key = self._button("Sav&e key", "Save the API key in the keyring", self._save_key)
        self.remove_key = self._button("&Remove key", "Remove the API key from the keyring", self._remove_key)
        self.test_button = self._button("&Test connection", "Test the OpenAI connection", self._test)
        form.addRow(self.api_key_status)
        form.addRow(self._hbox(self.save_key, self.remove_key, self.test_button))
        self.test_result = QLabel("")
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Connection test result")
        self.test_detail = QLabel("")
        self.test_detail.setWordWrap(True)
        self.test_detail.setAccessibleName("Connection test detail")
        self.test_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.test_result)
        form.addRow(self.test_detail)
        self.model = self._combo("Model", {m: m for m in realtime_models()})
        self._row(form, "&Model:", self.model, "model")
        self.base_url = QLineEdit()
        self.base_url.setAccessibleName("API address")
        self.base_url.setPlaceholderText("https://api.openai.com/v1 (leave empty for OpenAI)")
        self._row(form, "API a&ddress:", self.base_url, "openai_base_url")
        return box

    def _backend_box(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.backend_url = QLineEdit()
        self.backend_url.setAccessibleName("Clinic backend address")
        self.backend_url.setPlaceholderText("https://clinic.example.org")
        self._row(form, "Clinic add&ress:", self.backend_url, "backend_url")
        self.clinic_token = self._secret_field("Clinic token", "the token your clinic gave you")
        self._row(form, "Clinic t&oken:", self.clinic_token, "clinic_token")
        self.token_status = QLabel(NOT_SAVED)
        self.token_status.setAccessibleName("Clinic token status")
        self.save_token = self._button("Sav&e token", "Save the clinic token in the keyring", self._save_token)
        self.remove_token = self._button("Remove &token", "Remove the clinic token from the keyring", self._remove_token)
        form.addRow(self.token_status)
        form.addRow(self._hbox(self.save_token, self.remove_token))
        return box

    def _voice_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.voice = self._combo("Voice", {v: v.capitalize() for v in voices()})
        self._row(form, "V&oice:", self.voice, "voice")
        self.preview_button = self._button("Previe&w voice", "Play a sample of the chosen voice", self._preview)
        self.preview_button.setEnabled(self._preview_voice is not None)
        self.preview_lines = ResultLines("Voice preview")
        self.preview_result, self.preview_detail = self.preview_lines.result, self.preview_lines.detail
        self.preview_lines.say("" if self._preview_voice else messages.PREVIEW_UNAVAILABLE)
        form.addRow("", self._hbox(self.preview_button))  # right under the voice it plays
        form.addRow("", self.preview_lines)
        self.speed = QDoubleSpinBox()
        self.speed.setRange(0.25, 1.5)
        self.speed.setSingleStep(0.05)
        self.speed.setAccessibleName("Speaking speed")
        self._row(form, "Speaking &speed:", self.speed, "speed")
        self.transcription = self._combo("Transcription model", {m: m for m in transcription_models()})
        self._row(form, "&Transcription:", self.transcription, "transcription_model")
        self.turn = self._combo("Turn detection", TURN_LABELS)
        self.turn.currentIndexChanged.connect(self._turn_changed)
        self._row(form, "T&urn detection:", self.turn, "turn_detection")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setAccessibleName("Speech threshold")
        self._row(form, "Speech t&hreshold:", self.threshold, "vad_threshold")
        self.prefix = self._spin("Speech lead-in in milliseconds", 0, 2000, 50, " ms")
        self._row(form, "Speech &lead-in:", self.prefix, "vad_prefix_padding_ms")
        self.silence = self._spin("Pause that ends a turn in milliseconds", 100, 5000, 50, " ms")
        self._row(form, "&Pause that ends a turn:", self.silence, "vad_silence_duration_ms")
        self.idle = self._spin("Idle prompt after seconds, 0 for off", 0, 600, 5, " s")
        self.idle.setSpecialValueText("Off")
        self._row(form, "&Idle prompt after:", self.idle, "idle_timeout_s")
        self.eagerness = self._combo("Eagerness", {e: e.capitalize() for e in EAGERNESS})
        self._row(form, "&Eagerness:", self.eagerness, "eagerness")
        self.noise = self._combo("Noise reduction", NOISE_LABELS)
        self._row(form, "&Noise reduction:", self.noise, "noise_reduction")
        self.session_length = self._spin("Session length in minutes", *SESSION_MINUTES, 5, " min")
        self.session_length.setToolTip(SESSION_LENGTH_TIP)
        self._row(form, "Session len&gth:", self.session_length, "session_minutes")
        return page

    def _audio_page(self) -> QWidget:
        s = self._settings
        self.audio = AudioPage(s.input_device, s.output_device, s.audio_mode, tools=self._sound, run=self._run,
                               sound_in_use=self._sound_in_use, push_to_talk=self._push_to_talk)
        if self._preview_voice is not None:
            self.audio.also_busy(self.preview_button)  # one sound at a time: no preview over a test tone
        return self.audio

    # -- building blocks --------------------------------------------------------------------------

    def _scrolling(self, page: QWidget) -> QScrollArea:
        """A page that scrolls when the screen is smaller than it (a laptop at 200%)."""
        area = QScrollArea()
        area.setObjectName("page")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        page.setObjectName("pageContent")  # the style sheet's page colours, dark palette included
        area.setWidget(page)
        return area

    def _fit_screen(self, pages: list[QWidget]) -> None:
        """Open as large as the largest page wants, but within the screen (logical pixels, any scale)."""
        chrome = self.sizeHint() - self.tabs.currentWidget().sizeHint()  # tab bar, message, buttons, margins
        width = max(page.sizeHint().width() for page in pages) + chrome.width() + 24  # a scroll bar's room
        height = max(page.sizeHint().height() for page in pages) + chrome.height()
        self.resize(opening_size(self.screen(), (width, height)))

    def _combo(self, name: str, items: dict[Any, str]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for value, label in items.items():
            combo.addItem(label, value)
        return combo

    def _spin(self, name: str, low: int, high: int, step: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        return spin

    def _secret_field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        field.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        return field

    def _button(self, text: str, name: str, coroutine: Callable[[], Coroutine[Any, Any, None]]) -> QPushButton:
        button = QPushButton(text)
        # A voice-control user says what they see: the name is the visible label, the longer
        # sentence its description (WCAG 2.5.3).
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._run(coroutine()))
        return button

    def _hbox(self, *widgets: QWidget) -> QWidget:
        from PySide6.QtWidgets import QHBoxLayout

        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch()
        return row

    def _row(self, form: QFormLayout, text: str, field: QWidget, name: str) -> None:
        label = QLabel(text)
        label.setBuddy(field)  # the mnemonic focuses the field; screen readers read the label with it
        override = self._overrides.get(name)
        if override is None:
            form.addRow(label, field)
            return
        note = QLabel(override.sentence())
        note.setWordWrap(True)
        note.setObjectName(f"override_{name}")
        note.setAccessibleName(f"{field.accessibleName()} is overridden")
        field.setToolTip(override.sentence())
        field.setAccessibleDescription(override.sentence())
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field)
        box.addWidget(note)
        form.addRow(label, column)

    # -- values -----------------------------------------------------------------------------------

    def _show(self, s: Settings) -> None:
        for combo, value in ((self.mode, s.mode), (self.model, s.model), (self.voice, s.voice),
                             (self.transcription, s.transcription_model), (self.turn, s.turn_detection),
                             (self.eagerness, s.eagerness), (self.noise, s.noise_reduction)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.base_url.setText(s.openai_base_url)
        self.backend_url.setText(s.backend_url)
        self.speed.setValue(s.speed)
        self.threshold.setValue(s.vad_threshold)
        self.prefix.setValue(s.vad_prefix_padding_ms)
        self.silence.setValue(s.vad_silence_duration_ms)
        self.idle.setValue(s.idle_timeout_s or 0)
        self.session_length.setValue(s.session_minutes)

    def current_settings(self) -> Settings:
        return replace(
            self._settings,
            mode=ConnectMode(self.mode.currentData()) if self.mode.currentData() else None,  # Qt hands back a str
            model=self.model.currentData(),
            voice=self.voice.currentData(),
            transcription_model=self.transcription.currentData(),
            turn_detection=self.turn.currentData(),
            vad_threshold=round(self.threshold.value(), 2),
            vad_prefix_padding_ms=self.prefix.value(),
            vad_silence_duration_ms=self.silence.value(),
            idle_timeout_s=self.idle.value() or None,
            eagerness=self.eagerness.currentData(),
            noise_reduction=self.noise.currentData(),
            speed=round(self.speed.value(), 2),
            session_minutes=self.session_length.value(),
            openai_base_url=self.base_url.text().strip(),
            backend_url=self.backend_url.text().strip().rstrip("/"),
            input_device=self.audio.input_name(),
            output_device=self.audio.output_name(),
            audio_mode=self.audio.mode(),
        )

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        self.mode_pages.setCurrentIndex({ConnectMode.DEMO: 0, ConnectMode.BACKEND: 2}.get(mode, 1))

    def _turn_changed(self) -> None:
        semantic = self.turn.currentData() == "semantic_vad"
        for widget in (self.threshold, self.prefix, self.silence, self.idle):
            widget.setEnabled(not semantic)
        self.eagerness.setEnabled(semantic)

    def _voice_changed(self) -> None:
        if self._preview_voice is None:
            return
        voice = str(self.voice.currentData())
        self._preview_said("" if has_preview(voice) else messages.PREVIEW_NO_SAMPLE.format(voice=voice.capitalize()))

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # -- actions ----------------------------------------------------------------------------------

    def save(self) -> None:
        settings = self.current_settings()
        problems = validate(settings)
        if problems:
            self._say(problems[0].message)
            return
        try:
            self._store.save(settings)
        except SettingsSaveError as exc:
            self._say(str(exc))
            return
        self._settings = settings
        self.accept()

    def done(self, result: int) -> None:
        """Closing stops what still runs (a device scan, a test, a preview): nothing it would
        update is left. A sound already playing on a worker thread finishes by itself."""
        for task in list(self._tasks):
            task.cancel()
        super().done(result)

    def _run(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settled(self) -> None:
        """Return once nothing the dialog started (keyring, scan, test, preview) is running."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    def _busy(self, busy: bool) -> None:
        for button in (self.save_key, self.remove_key, self.test_button, self.save_token, self.remove_token):
            button.setEnabled(not busy)

    async def _guarded(self, work: Awaitable[str]) -> tuple[str, str]:
        """(sentence, detail) of `work`; every failure becomes its sentence, never a crash."""
        self._busy(True)
        try:
            return await work, ""
        except Exception as exc:  # noqa: BLE001 - a SecretStoreError or RealtimeError: its str() is the sentence
            detail = getattr(exc, "detail", "") or ""
            if not str(exc):
                log.exception("settings action failed")
                return f"That did not work ({type(exc).__name__}).", detail
            return str(exc), detail
        finally:
            self._busy(False)

    async def _refresh_saved_secrets(self) -> None:
        for name, status in ((SecretName.OPENAI_API_KEY, self.api_key_status), (SecretName.CLINIC_TOKEN, self.token_status)):
            changes = self._secret_changes.get(name, 0)
            try:
                text = SAVED if await self._secrets.is_saved(name) else NOT_SAVED
            except Exception as exc:  # noqa: BLE001 - the sentence explains (locked, absent)
                text = str(exc)
            if self._secret_changes.get(name, 0) == changes:  # a Save or Remove meanwhile says more
                status.setText(text)

    async def _save_secret(self, name: SecretName, field: QLineEdit, status: QLabel) -> None:
        self._secret_changes[name] = self._secret_changes.get(name, 0) + 1

        async def work() -> str:
            await self._secrets.save(name, field.text())
            field.clear()  # the value is not kept in the widget once it is in the keyring
            return SAVED

        text, detail = await self._keyring_work(work())
        status.setText(text + (f"\n{detail}" if detail else ""))

    async def _remove_secret(self, name: SecretName, status: QLabel) -> None:
        self._secret_changes[name] = self._secret_changes.get(name, 0) + 1

        async def work() -> str:
            await self._secrets.remove(name)
            return REMOVED

        text, detail = await self._keyring_work(work())
        status.setText(text + (f"\n{detail}" if detail else ""))

    async def _keyring_work(self, work: Coroutine[Any, Any, str]) -> tuple[str, str]:
        """A save or remove in the keyring: Save settings waits for it (closing the dialog would
        cancel it and the person would never see whether the key was stored)."""
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        try:
            return await self._guarded(work)
        finally:
            if shiboken6.isValid(save):
                save.setEnabled(True)

    async def _save_key(self) -> None:
        await self._save_secret(SecretName.OPENAI_API_KEY, self.api_key, self.api_key_status)

    async def _remove_key(self) -> None:
        await self._remove_secret(SecretName.OPENAI_API_KEY, self.api_key_status)

    async def _save_token(self) -> None:
        await self._save_secret(SecretName.CLINIC_TOKEN, self.clinic_token, self.token_status)

    async def _remove_token(self) -> None:
        await self._remove_secret(SecretName.CLINIC_TOKEN, self.token_status)

    async def _test(self) -> None:
        settings = self.current_settings()
        problems = validate(settings)
        if problems:
            self.test_result.setText(problems[0].message)
            self.test_detail.setText("")
            return
        self.test_result.setText(TESTING)
        self.test_detail.setText("")
        typed = self.api_key.text().strip() or None
        text, detail = await self._guarded(self._test_connection(settings, typed))
        self.test_result.setText(text)
        self.test_detail.setText(detail)

    async def _preview(self) -> None:
        """Fetch the sample (network or the Demo engine, off the loop), then play it on the speaker
        chosen on the Audio page; the Audio page's tests wait meanwhile (one sound at a time)."""
        if self._preview_voice is None:
            return
        if self._sound_in_use():
            self._preview_said(messages.SOUND_BUSY)
            return
        settings = self.current_settings()
        self.preview_button.setEnabled(False)
        self.audio.set_busy(True)
        self._preview_said(messages.PREVIEW_FETCHING)
        try:
            preview = await self._preview_voice(settings, self.api_key.text().strip() or None)
            self._preview_said(messages.PREVIEW_PLAYING)
            fallback = await self._sound.play_sample(preview.sample, settings.output_device)
            self._preview_said(f"{fallback} {preview.sentence}" if fallback else preview.sentence)
        except Exception as exc:  # noqa: BLE001 - a RealtimeError, SoundCheckFailed or PreviewUnavailable: a sentence
            if not str(exc):
                log.exception("voice preview failed")
            self._preview_said(str(exc) or f"That did not work ({type(exc).__name__}).", getattr(exc, "detail", "") or "")
        finally:
            if shiboken6.isValid(self):
                self.preview_button.setEnabled(True)
                self.audio.set_busy(False)

    def _preview_said(self, sentence: str, detail: str = "") -> None:
        self.preview_lines.say(sentence, detail)


SETTINGS_SHORTCUT = QKeySequence("Ctrl+,")  # Qt reads Ctrl as Cmd on macOS
