"""The microphone level as a bar: jumps up at once, falls back gently, so speech reads as speech.

Levels arrive 50 times a second, room noise included. The bar shows them in STEPS visible steps
and repaints only when the shown step moves by a whole step (so noise flickering across a step's
edge repaints nothing), at most every MIN_REPAINT_S; the fall is worked out from the time between
levels, so no animation timer runs. Off screen (the window minimised or hidden) it keeps the
level and paints nothing; back on screen it paints what is current."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from therapy_desktop.ui import texts
from therapy_desktop.ui.style import colour

STEPS = 20  # 9 px each on the 180 px bar: a step is a visible change, noise within one is not
FALL_PER_SECOND = 1.5  # full scale to empty in about 0.7 s
MIN_REPAINT_S = 0.05  # 20 repaints a second at most: speech reads the same as at 50
_LONGEST_GAP_S = 0.1  # a late level does not drop the bar further than five regular ones would


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.level = 0.0  # the bar's value now: the latest level, or an earlier peak falling back
        self.shown_step = 0  # what is (or, off screen, will be) on screen, in STEPS
        self.paused = False
        self.on_screen = True
        self._clock = clock
        self._heard_at: float | None = None
        self._latest = 0.0  # the last level heard off screen
        self._painted_at = float("-inf")
        # Paints its whole rectangle, the page's background round the corners included, so a
        # change repaints the bar alone and not the page, the scroll area and the window below it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(120, 10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(10)
        self.setAccessibleName("Microphone level")
        self.setToolTip("Microphone level")

    def set_level(self, level: float) -> None:
        if not self.on_screen:
            self._latest = level  # 50 times a second: keep only the last, the fall is not seen
            return
        now = self._clock()
        gap = 0.0 if self._heard_at is None else min(_LONGEST_GAP_S, max(0.0, now - self._heard_at))
        self._heard_at = now
        level = min(1.0, max(0.0, level))
        # Exactly 0.0 is digital silence or the microphone stopping: show it at once.
        self.level = 0.0 if level == 0.0 else max(level, self.level - FALL_PER_SECOND * gap)
        wanted = self.level * STEPS
        if wanted == self.shown_step or (self.level > 0.0 and abs(wanted - self.shown_step) < 1.0):
            return
        if self.level > 0.0 and now - self._painted_at < MIN_REPAINT_S:
            return  # the next level, 20 ms on, shows it
        self.shown_step = round(wanted)
        self._repaint(now)

    def set_paused(self, paused: bool) -> None:
        """While the AI companion speaks the microphone is not sent: show it in grey."""
        if paused != self.paused:
            self.paused = paused
            self.setToolTip(texts.MIC_PAUSED if paused else "Microphone level")
            self._repaint(self._clock())

    def set_on_screen(self, on_screen: bool) -> None:
        """The window is minimised or hidden (False) or back (True: show the current level)."""
        if on_screen == self.on_screen:
            return
        self.on_screen = on_screen
        if on_screen:
            self.level, self._heard_at = min(1.0, max(0.0, self._latest)), self._clock()
            self.shown_step = round(self.level * STEPS)
            self._repaint(self._heard_at)
        else:
            self._latest = self.level

    def _repaint(self, now: float) -> None:
        if self.on_screen:
            self._painted_at = now
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), colour("window", self))  # the page's background (opaque widget)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("notice_bg", self))
        painter.drawRoundedRect(rect, 5, 5)
        shown = self.shown_step / STEPS
        if shown > 0:
            filled = QRectF(rect.x(), rect.y(), rect.width() * shown, rect.height())
            fill = "#b8c0ca" if self.paused else ("#3aa76d" if shown < 0.85 else "#e6a23c")
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(filled, 5, 5)
        painter.end()
