"""The line at the top of the window: an error (a sentence a person can act on, the original
text as a detail line for whoever helps them) or a calmer notice (something the app already
handled, such as a device it fell back from), with a Dismiss button."""

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
        self.setProperty("kind", "error")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        self.title = QLabel(texts.NOTICE_TITLE)  # a notice is told apart by words, not colour alone
        self.title.setObjectName("bannerTitle")
        self.title.hide()
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
        words.addWidget(self.title)
        words.addWidget(self.label)
        words.addWidget(self.detail)
        layout.addLayout(words, 1)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        problem = friendly_error(message)
        self._show(problem.sentence, problem.detail, kind="error")

    def show_notice(self, sentence: str) -> None:
        """Already a sentence for the person, and nothing went wrong that they must fix: no detail
        line, and the notice colours instead of the error's red."""
        self._show(sentence, "", kind="notice")

    @property
    def kind(self) -> str:
        return str(self.property("kind"))

    def _show(self, sentence: str, detail: str, *, kind: str) -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)  # the style sheet picks the colours by `kind`
        self.style().polish(self)
        for label in (self.title, self.label, self.detail):
            label.style().unpolish(label)
            label.style().polish(label)
        self.title.setVisible(kind == "notice")
        self.label.setText(sentence)
        self.detail.setText(texts.ERROR_DETAIL.format(detail=detail) if detail else "")
        self.detail.setVisible(bool(detail))
        spoken = texts.NOTICE_SPOKEN.format(sentence=sentence) if kind == "notice" else sentence
        self.setAccessibleName(spoken)
        self.show()
        announce(self.label, spoken)
