"""The About box: identity, version, license, components and their license texts, Copy diagnostics."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtGui import QGuiApplication

from therapy_desktop.diagnostics import Component
from therapy_desktop.ui import about_dialog
from therapy_desktop.ui.about_dialog import AboutDialog


def test_shows_name_version_license_and_every_bundled_component(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "About Therapy Desktop"
    assert not dialog.windowIcon().isNull()
    assert dialog.version == metadata.version("therapy-desktop")
    assert f"Version {dialog.version}" in dialog.title.text()
    assert "GPL-3.0-or-later" in dialog.license.text()
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert "piper-tts" in names and "aiortc" in names and "pytest" not in names
    row = names.index("piper-tts")
    assert dialog.table.item(row, 2).text() == "GPL-3.0-or-later"


def test_choosing_a_component_shows_its_license_text(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.license_text.toPlainText() == about_dialog.PICK_A_COMPONENT
    row = [c.name for c in dialog.components].index("piper-tts")
    dialog.table.setCurrentCell(row, 0)
    assert "GNU GENERAL PUBLIC LICENSE" in dialog.license_text.toPlainText()


def test_component_without_license_file_says_its_license(qtbot) -> None:
    dialog = AboutDialog(components=[Component("no-such-distribution-here", "1.0", "MIT")], version="9.9")
    qtbot.addWidget(dialog)
    dialog.table.setCurrentCell(0, 0)
    assert dialog.license_text.toPlainText() == about_dialog.NO_LICENSE_TEXT.format(license="MIT")
    assert "Version 9.9" in dialog.title.text()


def test_copy_diagnostics_puts_the_text_on_the_clipboard(qtbot) -> None:
    dialog = AboutDialog(diagnostics=lambda: "Therapy Desktop 0.1.0\nConnection mode: demo\n")
    qtbot.addWidget(dialog)
    assert dialog.copy_button is not None
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Therapy Desktop 0.1.0\nConnection mode: demo\n"
    assert dialog.status.text() == about_dialog.COPIED


def test_no_copy_button_without_a_diagnostics_source(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.copy_button is None
