"""The Settings dialog's Audio page: microphone and speaker (by name, the system default first, a
remembered device that is not connected marked so), Rescan, a test for each, and how the person
listens and talks (the `AudioMode`), each choice with a line saying what it does.

Device work is blocking PortAudio: it runs in `settings.sound_check`'s coroutines (worker
threads) on the qasync loop; the buttons are disabled meanwhile, and a live session's sound is
never touched (`sound_in_use`: tests and rescans wait until it has ended).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.realtime.voice_preview import VoiceSample
from therapy_desktop.settings import messages, sound_check
from therapy_desktop.settings.sound_check import DeviceOption
from therapy_desktop.ui.result_lines import ResultLines
from therapy_desktop.ui.style import colours

# The platform's radio circles are near invisible on a dark palette: drawn here from the colour table.
_RADIO_STYLE = """
QRadioButton {{ padding: 2px; border: 2px solid transparent; border-radius: 4px; }}
QRadioButton:focus {{ border: 2px solid {focus}; }}
QRadioButton::indicator {{ width: 12px; height: 12px; border: 2px solid {text}; border-radius: 8px; background: {input_bg}; }}
QRadioButton::indicator:checked {{ background: {accent}; }}
QRadioButton::indicator:disabled {{ border-color: {disabled}; }}
"""
MODE_MNEMONICS = {"speakers": "&Speakers (echo cancellation)", "headphones": "&Headphones",
                  "half_duplex": "Take t&urns", "push_to_talk": "Push to &talk"}


@dataclass(frozen=True)
class SoundTools:
    """The page's device work (the real PortAudio one by default; a test may give its own)."""

    device_options: Callable[..., Awaitable[list[DeviceOption]]] = sound_check.device_options
    play_test_sound: Callable[[str], Awaitable[str]] = sound_check.play_test_sound
    test_microphone: Callable[[str, str], Awaitable[str]] = sound_check.test_microphone
    play_sample: Callable[[VoiceSample, str], Awaitable[str | None]] = sound_check.play_sample  # → a fallback sentence


class AudioPage(QWidget):
    def __init__(
        self,
        input_device: str,
        output_device: str,
        mode: AudioMode,
        *,
        tools: SoundTools,
        run: Callable[[Coroutine[Any, Any, None]], None],
        sound_in_use: Callable[[], bool],
        push_to_talk: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tools, self._run, self._sound_in_use = tools, run, sound_in_use
        self._busy_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.input = self._device_combo("Microphone", input_device)
        self._row(form, "&Microphone:", self.input)
        self.output = self._device_combo("Speaker", output_device)
        self._row(form, "Spea&ker:", self.output)
        self.rescan = self._button("&Rescan", "Look for sound devices again", self._rescan)
        self.play_tone = self._button("&Play test sound", "Play a test sound on the speaker", self._play_tone)
        self.test_mic = self._button("Test m&icrophone", "Record three seconds and play them back", self._test_mic)
        row = QHBoxLayout()
        for button in (self.rescan, self.play_tone, self.test_mic):
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        self.lines = ResultLines("Audio test")
        self.result, self.detail = self.lines.result, self.lines.detail
        layout.addWidget(self.lines)
        layout.addWidget(self._mode_box(mode, push_to_talk))
        layout.addStretch()
        self.setStyleSheet(_RADIO_STYLE.format(**colours(self)))
        self.refresh(rescan=False)

    # -- what the dialog reads --------------------------------------------------------------------

    def input_name(self) -> str:
        return str(self.input.currentData() or "")

    def output_name(self) -> str:
        return str(self.output.currentData() or "")

    def mode(self) -> AudioMode:
        checked = self.modes.checkedButton()
        return AudioMode(checked.property("mode")) if checked is not None else AudioMode.HALF_DUPLEX

    def also_busy(self, button: QPushButton) -> None:
        """A button elsewhere that plays sound too: disabled while this page plays or records."""
        self._busy_buttons.append(button)

    def set_busy(self, busy: bool) -> None:
        if not shiboken6.isValid(self):  # the dialog closed while a test was running
            return
        for button in self._busy_buttons:
            button.setEnabled(not busy)

    def say(self, sentence: str, detail: str = "") -> None:
        self.lines.say(sentence, detail)

    def refresh(self, *, rescan: bool) -> None:
        self._run(self._fill(rescan))

    # -- building -----------------------------------------------------------------------------------

    def _device_combo(self, name: str, saved: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)  # long device names elide instead of widening the dialog
        combo.addItem(messages.SYSTEM_DEFAULT, "")
        if saved:
            combo.addItem(saved, saved)
            combo.setCurrentIndex(1)
        return combo

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def _button(self, text: str, name: str, work: Callable[[], Coroutine[Any, Any, None]]) -> QPushButton:
        button = QPushButton(text)
        # A voice-control user says what they see: the name is the visible label, the longer
        # sentence its description (WCAG 2.5.3).
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._run(work()))
        self._busy_buttons.append(button)
        return button

    def _mode_box(self, mode: AudioMode, push_to_talk: bool) -> QWidget:
        """One radio button per mode with its explanation. Push-to-talk is offered only when the
        window has its Talk control: without it the microphone would never open."""
        box = QGroupBox(messages.MODES_TITLE)  # a screen reader names the radio buttons' group with it
        box.setAccessibleName(messages.MODES_TITLE)
        column = QVBoxLayout(box)
        self.modes = QButtonGroup(box)
        self.mode_buttons: dict[AudioMode, QRadioButton] = {}
        for choice in AudioMode:
            radio = QRadioButton(MODE_MNEMONICS[choice.value])
            radio.setProperty("mode", choice.value)
            radio.setAccessibleName(messages.MODE_TITLES[choice.value])
            radio.setAccessibleDescription(messages.MODE_EXPLANATIONS[choice.value])
            radio.setChecked(choice is mode)
            words = messages.MODE_EXPLANATIONS[choice.value]
            if choice is AudioMode.PUSH_TO_TALK and not push_to_talk:
                radio.setEnabled(False)
                words = f"{words} {messages.PUSH_TO_TALK_UNAVAILABLE}"
                radio.setAccessibleDescription(words)
            explanation = QLabel(words)
            explanation.setWordWrap(True)
            explanation.setObjectName("muted")
            explanation.setContentsMargins(24, 0, 0, 6)
            self.modes.addButton(radio)
            self.mode_buttons[choice] = radio
            column.addWidget(radio)
            column.addWidget(explanation)
        return box

    # -- actions --------------------------------------------------------------------------------------

    def _refused_while_in_use(self) -> bool:
        if self._sound_in_use():
            self.say(messages.SOUND_BUSY)
            return True
        return False

    async def _fill(self, rescan: bool) -> None:
        self.set_busy(True)
        try:
            inputs = await self._tools.device_options("input", self.input_name(), rescan=rescan)
            outputs = await self._tools.device_options("output", self.output_name())
        except sound_check.SoundCheckFailed as exc:
            self.say(str(exc), exc.detail)
            return
        finally:
            self.set_busy(False)
        if not shiboken6.isValid(self):
            return
        _fill_combo(self.input, inputs)
        _fill_combo(self.output, outputs)
        if rescan:
            found = messages.DEVICES_FOUND.format(inputs=len([o for o in inputs if o.name and o.connected]),
                                                  outputs=len([o for o in outputs if o.name and o.connected]))
            missing = [o.label for o in inputs + outputs if not o.connected]
            self.say(" ".join([found, *missing]))
        elif not any(o.name and o.connected for o in inputs):
            self.say(messages.NO_MICROPHONE)

    async def _rescan(self) -> None:
        if self._refused_while_in_use():
            return
        self.say(messages.SCANNING)
        await self._fill(rescan=True)

    async def _play_tone(self) -> None:
        await self._guarded(messages.PLAYING_TONE, lambda: self._tools.play_test_sound(self.output_name()))

    async def _test_mic(self) -> None:
        waiting = messages.RECORDING.format(seconds=round(sound_check.MIC_TEST_SECONDS))
        await self._guarded(waiting, lambda: self._tools.test_microphone(self.input_name(), self.output_name()))

    async def _guarded(self, waiting: str, work: Callable[[], Awaitable[str]]) -> None:
        if self._refused_while_in_use():
            return
        self.set_busy(True)
        self.say(waiting)
        try:
            self.say(await work())
        except sound_check.SoundCheckFailed as exc:
            self.say(str(exc), exc.detail)
        finally:
            self.set_busy(False)


def _fill_combo(combo: QComboBox, options: list[DeviceOption]) -> None:
    """Replace the items, keeping the choice (the saved name, connected or not)."""
    keep = combo.currentData() or ""
    combo.blockSignals(True)
    combo.clear()
    for option in options:
        combo.addItem(option.label, option.name)
        index = combo.count() - 1
        combo.setItemData(index, option.label, Qt.ItemDataRole.ToolTipRole)
        combo.setItemData(index, option.label, Qt.ItemDataRole.AccessibleTextRole)
    combo.setCurrentIndex(max(0, combo.findData(keep)))
    combo.blockSignals(False)
