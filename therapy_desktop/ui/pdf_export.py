"""A session export as PDF: Qt lays out the HTML of `storage.export.to_html` and writes the pages."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

_app: QGuiApplication | None = None  # made here only when no window runs (the export command)


def _ensure_gui_application() -> None:
    """Fonts and layout need a QGuiApplication; the command line has none, and no screen either."""
    global _app
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication([])


def pdf_bytes(html: str) -> bytes:
    """The PDF of `html` (A4, 18 mm margins), in memory."""
    _ensure_gui_application()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setCreator("Therapy Desktop")
    document = QTextDocument()
    document.setHtml(html)
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    document.print_(writer)  # paints every page and ends the painter: the PDF is complete
    data = bytes(buffer.data().data())
    buffer.close()
    return data


def write_pdf(html: str, path: Path) -> None:
    """Write the PDF of `html` to `path`; raises OSError when the file cannot be written."""
    Path(path).write_bytes(pdf_bytes(html))
