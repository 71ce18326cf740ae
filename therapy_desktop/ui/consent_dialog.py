"""The first-run screen: what this is (an AI companion, not a person, not a therapist, not for
emergencies), what is kept where, how to delete it. No session starts before it is accepted."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from therapy_desktop.therapy.consent import CONSENT_ACCEPT, CONSENT_DECLINE, CONSENT_SECTIONS, CONSENT_TITLE
from therapy_desktop.ui import safety_texts as t


class ConsentDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t.CONSENT_WINDOW_TITLE)
        self.setModal(True)
        title = QLabel(f"<h2>{escape(CONSENT_TITLE)}</h2>")
        title.setAccessibleName(CONSENT_TITLE)
        self.text = QTextBrowser()
        self.text.setAccessibleName(CONSENT_TITLE)
        self.text.setOpenLinks(False)
        self.text.setHtml("".join(f"<h3>{escape(h)}</h3><p>{escape(p)}</p>" for h, p in CONSENT_SECTIONS))
        self.text.setAccessibleDescription(" ".join(f"{h}. {p}" for h, p in CONSENT_SECTIONS))
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(CONSENT_ACCEPT, QDialogButtonBox.ButtonRole.AcceptRole)
        self.decline_button = buttons.addButton(CONSENT_DECLINE, QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setAccessibleName(CONSENT_ACCEPT)
        self.decline_button.setAccessibleName(CONSENT_DECLINE)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.text.setFocus()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # fits at 200 % scaling too
            self.resize(min(640, int(screen.width() * 0.9)), min(620, int(screen.height() * 0.85)))
