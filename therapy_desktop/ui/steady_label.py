"""A label whose words change often (each second, each state) at one fixed size, wide enough for
every text it may show. A label that grows or shrinks asks the page to lay itself out again, and
the page then repaints whole; a label of fixed size repaints itself alone."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._samples: tuple[str, ...] = ()

    def fit_texts(self, samples: Iterable[str]) -> None:
        """Every text (or the widest of each kind) the label may show."""
        self._samples = tuple(samples)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # the style sheet's font, a scale change: measure again

    def _fit(self) -> None:
        if not self._samples:
            return
        shown, width, height = self.text(), 0, 0
        self.setMinimumSize(0, 0)
        self.setMaximumSize(16_777_215, 16_777_215)  # measure the texts, not the fixed size
        for sample in self._samples:
            self.setText(sample)
            hint = self.sizeHint()
            width, height = max(width, hint.width()), max(height, hint.height())
        self.setText(shown)
        self.setFixedSize(width, height)
