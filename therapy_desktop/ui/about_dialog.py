"""The About box: name, icon, version, the app's license (GPL-3.0-or-later, because piper-tts is) and
every bundled third-party component with its license; picking one shows its license text. A "Copy
diagnostics" button puts the diagnostics text (no secrets, no transcript) on the clipboard."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib.resources import files

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.diagnostics import Component, app_version, bundled_components, license_texts

# The About box's sentences, in one place.
APP_NAME = "Therapy Desktop"
WINDOW_TITLE = f"About {APP_NAME}"
TAGLINE = "Talk by voice with an AI companion. It is an AI, not a person and not a licensed therapist."
LICENSE_LINE = ("Free software under the GNU General Public License, version 3 or later (GPL-3.0-or-later), "
                "because it includes piper-tts, which is under that license. It comes with no warranty.")
COMPONENTS_HEADING = "Third-party components"
COLUMNS = ("Component", "Version", "License")
NO_LICENSE_TEXT = "This component lists no license file; its license is: {license}."
PICK_A_COMPONENT = "Choose a component to read its license."
COPY_DIAGNOSTICS = "Copy diagnostics"
COPIED = "Diagnostics copied. They hold versions, audio devices, the mode and recent errors: no keys, no transcript."


def icon() -> QIcon:
    return QIcon(str(files("therapy_desktop.resources").joinpath("icon.svg")))


class AboutDialog(QDialog):
    """`diagnostics` gives the text "Copy diagnostics" copies; without it the button is not shown."""

    def __init__(self, parent: QWidget | None = None, *, diagnostics: Callable[[], str] | None = None,
                 components: list[Component] | None = None, version: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setWindowIcon(icon())
        self._diagnostics = diagnostics
        self.components = bundled_components() if components is None else components
        self.version = version or app_version()

        logo = QLabel()
        logo.setPixmap(icon().pixmap(64, 64))
        logo.setAccessibleName(f"{APP_NAME} icon")
        self.title = QLabel(f"<h2>{escape(APP_NAME)}</h2><p>Version {escape(self.version)}</p>")
        self.title.setAccessibleName(f"{APP_NAME}, version {self.version}")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(self.title, 1)

        tagline = QLabel(TAGLINE)
        tagline.setWordWrap(True)
        self.license = QLabel(LICENSE_LINE)
        self.license.setWordWrap(True)

        self.table = QTableWidget(len(self.components), len(COLUMNS))
        self.table.setAccessibleName(COMPONENTS_HEADING)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, component in enumerate(self.components):
            for column, value in enumerate((component.name, component.version, component.license)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_license(row))

        self.license_text = QPlainTextEdit(PICK_A_COMPONENT)
        self.license_text.setReadOnly(True)
        self.license_text.setAccessibleName("License text")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button: QPushButton | None = None
        if diagnostics is not None:
            self.copy_button = buttons.addButton(COPY_DIAGNOSTICS, QDialogButtonBox.ButtonRole.ActionRole)
            self.copy_button.clicked.connect(self.copy_diagnostics)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(tagline)
        layout.addWidget(self.license)
        layout.addWidget(QLabel(f"<b>{escape(COMPONENTS_HEADING)}</b>"))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.license_text, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(640, 620)

    def show_license(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            self.license_text.setPlainText(PICK_A_COMPONENT)
            return
        component = self.components[row]
        texts = license_texts(component.name)
        if not texts:
            self.license_text.setPlainText(NO_LICENSE_TEXT.format(license=component.license))
            return
        self.license_text.setPlainText("\n\n".join(f"--- {name} ---\n{text.strip()}" for name, text in texts))

    def copy_diagnostics(self) -> None:
        if self._diagnostics is None:
            return
        copy_to_clipboard(self._diagnostics())
        self.status.setText(COPIED)


def copy_to_clipboard(text: str) -> None:
    """Put `text` on the system clipboard (the window's "Copy diagnostics" action uses this too)."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
