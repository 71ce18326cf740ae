"""The error line at the top of the window: a sentence a person can act on, the original
text as a detail line for whoever helps them, and a Dismiss button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.friendly_errors import friendly_error


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = self.dismiss = QPushButton(texts.DISMISS)
        dismiss.setObjectName("dismissButton")
        dismiss.setAccessibleName(texts.DISMISS_NAME)
        dismiss.clicked.connect(self.hide)
        words = QVBoxLayout()
        words.addWidget(self.label)
        words.addWidget(self.detail)
        layout.addLayout(words, 1)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        problem = friendly_error(message)
        self.label.setText(problem.sentence)
        self.detail.setText(texts.ERROR_DETAIL.format(detail=problem.detail) if problem.detail else "")
        self.detail.setVisible(bool(problem.detail))
        self.setAccessibleName(problem.sentence)
        self.show()
        announce(self.label, problem.sentence)
