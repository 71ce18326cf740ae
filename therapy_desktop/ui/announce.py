"""Live text for screen readers: a widget's accessible description is set to what changed and
the accessibility layer is told, so a reader speaks it without the person moving focus."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    widget.setAccessibleDescription(text)
    if QAccessible.isActive():  # no reader running: nothing listens, skip the event
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Alert))
