"""A sentence and its detail line under a button (a device test, a voice preview): hidden while
empty, the sentence announced to screen readers, the detail selectable for whoever helps."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from therapy_desktop.ui.announce import announce


class ResultLines(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = QLabel("")
        self.result.setAccessibleName(f"{name} result")
        self.detail = QLabel("")
        self.detail.setAccessibleName(f"{name} detail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for label in (self.result, self.detail):
            label.setWordWrap(True)
            label.hide()
            column.addWidget(label)

    def say(self, sentence: str, detail: str = "") -> None:
        if not shiboken6.isValid(self):  # the dialog closed while the work ran
            return
        self.result.setText(sentence)
        self.result.setVisible(bool(sentence))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        if sentence:
            announce(self.result, sentence)
