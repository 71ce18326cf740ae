"""Mood over time, drawn with QPainter: one column per rated session, oldest on the left;
a hollow dot for the mood before, a filled dot (joined by a line) for the mood after."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from therapy_desktop.storage import MoodPoint
from therapy_desktop.storage.records import MOOD_MAX, MOOD_MIN
from therapy_desktop.ui import texts
from therapy_desktop.ui.style import colour


def _mood_text(value: int | None) -> str:
    return "–" if value is None else str(value)


class MoodChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moodChart")
        self.setAccessibleName(texts.CHART_NAME)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a reader can land on it and hear the values
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.points: list[MoodPoint] = []
        self.set_points([])

    def set_points(self, points: list[MoodPoint]) -> None:
        self.points = sorted((p for p in points if p.mood_before is not None or p.mood_after is not None),
                             key=lambda p: p.started_at)
        described = "; ".join(
            texts.CHART_POINT.format(date=f"{datetime.fromtimestamp(p.started_at):%d %b %H:%M}",
                                     before=_mood_text(p.mood_before), after=_mood_text(p.mood_after))
            for p in self.points
        )
        self.setAccessibleDescription(texts.CHART_DESCRIPTION.format(points=described) if self.points else texts.CHART_EMPTY)
        self.setToolTip(self.accessibleDescription())
        self.update()

    def plot_area(self) -> QRectF:
        left = self.fontMetrics().horizontalAdvance("10") + 12
        return QRectF(self.rect()).adjusted(left, 10, -12, -12)

    def position(self, index: int, mood: int) -> QPointF:
        area = self.plot_area()
        count = max(1, len(self.points))
        x = area.left() + area.width() * (index + 0.5) / count
        y = area.bottom() - area.height() * (mood - MOOD_MIN) / (MOOD_MAX - MOOD_MIN)
        return QPointF(x, y)

    def _legend(self, painter: QPainter, area: QRectF, before: QColor, after: QColor, radius: float) -> None:
        """'○ before  ● after' in the top right corner: the colours are never the only cue."""
        metrics = self.fontMetrics()
        x = area.right() - metrics.horizontalAdvance(f"{texts.CHART_BEFORE}  {texts.CHART_AFTER}") - 4 * radius - 16
        y = area.top() + metrics.height() / 2
        for label, colour_, filled in ((texts.CHART_BEFORE, before, False), (texts.CHART_AFTER, after, True)):
            painter.setPen(QPen(colour_, 2))
            painter.setBrush(colour_ if filled else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x + radius, y), radius, radius)
            painter.setPen(colour("muted", self))
            painter.drawText(QPointF(x + 2 * radius + 4, y + metrics.ascent() / 2 - 1), label)
            x += 2 * radius + 12 + metrics.horizontalAdvance(label)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self.plot_area()
        muted, grid = colour("muted", self), colour("border", self)
        for mood in (MOOD_MIN, 5, MOOD_MAX):
            y = self.position(0, mood).y()
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(muted)
            painter.drawText(QRectF(0, y - 8, area.left() - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(mood))
        if not self.points:
            painter.setPen(muted)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, texts.CHART_EMPTY)
            painter.end()
            return
        before, after = colour("chart_before", self), colour("chart_after", self)
        radius = 5.0
        self._legend(painter, area, before, after, radius)
        previous: QPointF | None = None
        for i, point in enumerate(self.points):
            if point.mood_after is not None:
                here = self.position(i, point.mood_after)
                if previous is not None:
                    painter.setPen(QPen(after, 2))
                    painter.drawLine(previous, here)
                previous = here
        for i, point in enumerate(self.points):
            if point.mood_before is not None:
                painter.setPen(QPen(before, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(self.position(i, point.mood_before), radius, radius)
            if point.mood_after is not None:
                painter.setPen(QPen(after, 2))
                painter.setBrush(after)
                painter.drawEllipse(self.position(i, point.mood_after), radius, radius)
        painter.end()
