"""The session's time on screen, mm:ss and the limit, read from the session's own timer (the
one the limits run on), and the notice when the end is near. The label ticks once a second
while a session runs and the window is on screen; minimised or hidden it does not tick (the
session's own timer keeps the time) and shows the time at once when back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.steady_label import SteadyLabel


def mm_ss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class SessionTimerLabel(SteadyLabel):
    """`read` gives (elapsed seconds, limit in minutes) or None when no session runs."""

    def __init__(self, read: Callable[[], tuple[float, float] | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timer")
        # Sized for any mm:ss (a font's digits need not be equally wide): the tick repaints the label alone.
        self.fit_texts(texts.TIMER.format(elapsed=f"{d}{d}:{d}{d}", limit=f"{d}{d}:{d}{d}") for d in range(10))
        self._read = read
        self._running = False
        self._on_screen = True
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    @property
    def ticking(self) -> bool:
        return self._timer.isActive()

    def running(self, on: bool) -> None:
        """A session runs (True) or not."""
        self._running = on
        self._follow()

    def set_on_screen(self, on_screen: bool) -> None:
        """The window is minimised or hidden (False) or back (True)."""
        self._on_screen = on_screen
        self._follow()

    def _follow(self) -> None:
        if self._running and self._on_screen:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()
        self.refresh()

    def refresh(self) -> None:
        reading = self._read()
        if reading is None:
            self.clear()
            self.setAccessibleName("")
            return
        elapsed, limit_minutes = reading
        shown, limit = mm_ss(elapsed), mm_ss(limit_minutes * 60)
        self.setText(texts.TIMER.format(elapsed=shown, limit=limit))
        self.setAccessibleName(texts.TIMER_NAME.format(elapsed=shown, limit=limit))


class LimitNotice(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("limitNotice")
        self.setWordWrap(True)
        self.hide()

    def show_minutes_left(self, minutes: float) -> None:
        self.setText(texts.TIME_NEARLY_UP.format(minutes=max(1, round(minutes))))
        self.setAccessibleName(self.text())
        self.show()
        announce(self, self.text())
