"""The microphone level as a bar: jumps up at once, falls back gently, so speech reads as speech."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from therapy_desktop.ui import texts
from therapy_desktop.ui.style import colour

DECAY_PER_UPDATE = 0.04
REPAINT_INTERVAL = 0.033  # levels come 50 times a second; 30 repaints a second look the same


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = 0.0
        self.paused = False
        self._painted_at = 0.0
        self.setMinimumSize(120, 10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(10)
        self.setAccessibleName("Microphone level")
        self.setToolTip("Microphone level")

    def set_level(self, level: float) -> None:
        shown = max(level, self.level - DECAY_PER_UPDATE)
        if abs(shown - self.level) > 0.005:
            self.level = shown
            now = time.monotonic()
            if now - self._painted_at >= REPAINT_INTERVAL or shown == 0.0:
                self._painted_at = now
                self.update()

    def set_paused(self, paused: bool) -> None:
        """While the AI companion speaks the microphone is not sent: show it in grey."""
        if paused != self.paused:
            self.paused = paused
            self.setToolTip(texts.MIC_PAUSED if paused else "Microphone level")
            self.update()

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("notice_bg", self))
        painter.drawRoundedRect(rect, 5, 5)
        if self.level > 0:
            filled = QRectF(rect.x(), rect.y(), rect.width() * self.level, rect.height())
            fill = "#b8c0ca" if self.paused else ("#3aa76d" if self.level < 0.85 else "#e6a23c")
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(filled, 5, 5)
        painter.end()
