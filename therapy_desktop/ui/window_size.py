"""Opening sizes that fit the screen: a fixed 760×720 overflows a 1366×768 laptop at 2× scaling
(its available height is then under 384 logical pixels). Sizes are in logical pixels, the same
units as the screen's available geometry at any scale factor."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QScreen

SHARE = 0.9  # leave room for the window frame and the panel


def opening_size(screen: QScreen | None, wanted: tuple[int, int] = (760, 720)) -> QSize:
    screen = screen or QGuiApplication.primaryScreen()
    width, height = wanted
    if screen is None:
        return QSize(width, height)
    available = screen.availableGeometry()
    return QSize(min(width, int(available.width() * SHARE)), min(height, int(available.height() * SHARE)))
