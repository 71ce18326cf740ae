"""Type instead of speak: a line under the transcript; Enter (or Send) hands the text over and
clears the box. The words then come back through the transcript as the person's bubble."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from therapy_desktop.ui import texts

MAX_CHARS = 4000  # a long paragraph; more is almost surely a paste by mistake


class TextInput(QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText(texts.TYPE_PLACEHOLDER)
        self.line.setAccessibleName(texts.TYPE_NAME)
        self.line.setMaxLength(MAX_CHARS)
        self.line.returnPressed.connect(self.send)
        self.send_button = QPushButton(texts.SEND)
        self.send_button.setAccessibleName(texts.SEND_NAME)
        self.send_button.clicked.connect(self.send)
        self.line.textChanged.connect(lambda text: self.send_button.setEnabled(self.isEnabled() and bool(text.strip())))
        self.send_button.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.send_button)

    def send(self) -> None:
        text = self.line.text().strip()
        if text and self.isEnabled():
            self.line.clear()
            self.submitted.emit(text)
