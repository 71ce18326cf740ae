"""A mood rating from 1 (very low) to 10 (very good) that the person may skip.

Skipped until the person moves the slider; "Skip" puts it back to not rated."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QWidget

from therapy_desktop.storage.records import MOOD_MAX, MOOD_MIN
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce


class MoodPicker(QWidget):
    mood_changed = Signal(object)  # int | None

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moodPicker")
        self.question = QLabel(question)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(MOOD_MIN, MOOD_MAX)
        self.slider.setValue((MOOD_MIN + MOOD_MAX) // 2)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setAccessibleName(f"{question} {texts.MOOD_SLIDER_NAME}")
        self.slider.setMinimumWidth(160)
        self.question.setBuddy(self.slider)
        low, high = QLabel(texts.MOOD_LOW), QLabel(texts.MOOD_HIGH)
        low.setObjectName("muted")
        high.setObjectName("muted")
        self.value_label = QLabel(texts.MOOD_NONE)
        self.value_label.setMinimumWidth(70)
        self.skip = QCheckBox(texts.MOOD_SKIP)
        self.skip.setAccessibleName(texts.MOOD_SKIP_NAME)
        self.skip.setChecked(True)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.question, 0, 0, 1, 4)
        layout.addWidget(low, 1, 0)
        layout.addWidget(self.slider, 1, 1)
        layout.addWidget(high, 1, 2)
        layout.addWidget(self.value_label, 1, 3)
        layout.addWidget(self.skip, 1, 4)
        layout.setColumnStretch(1, 1)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderPressed.connect(self._moved)
        self.skip.toggled.connect(self._skip_toggled)
        self._show()

    def value(self) -> int | None:
        return None if self.skip.isChecked() else self.slider.value()

    def set_value(self, mood: int | None) -> None:
        if mood is None:
            self.skip.setChecked(True)
            return
        self.slider.setValue(mood)
        self.skip.setChecked(False)

    def reset(self) -> None:
        self.skip.setChecked(True)

    def _moved(self, *_: object) -> None:
        self.skip.setChecked(False)
        self._show()

    def _skip_toggled(self, _checked: bool) -> None:
        self._show()

    def _show(self) -> None:
        mood = self.value()
        text = texts.MOOD_NONE if mood is None else texts.MOOD_VALUE.format(value=mood)
        self.value_label.setText(text)
        self.slider.setAccessibleDescription(text)
        announce(self.value_label, text)
        self.mood_changed.emit(mood)
