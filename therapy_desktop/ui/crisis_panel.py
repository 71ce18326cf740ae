"""The crisis panel: raised the moment any net flags a crisis, and it stays for the rest of the
session ("I was joking" does not take the numbers away). The session goes on beneath it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from therapy_desktop.therapy import crisis_resources
from therapy_desktop.therapy.resources import REGIONS
from therapy_desktop.therapy.safety import (
    CHECK_IN_BODY,
    CHECK_IN_TITLE,
    CRISIS_PANEL_BODY,
    CRISIS_PANEL_SAFETY_PLAN_BUTTON,
    CRISIS_PANEL_TITLE,
)
from therapy_desktop.ui import safety_texts as t


class CrisisPanel(QFrame):
    safety_plan_requested = Signal()

    def __init__(self, region: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crisisPanel")
        self.setAccessibleName(t.CRISIS_PANEL_NAME)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setObjectName("crisisTitle")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.lines.setOpenExternalLinks(False)  # nothing opens a browser behind the person's back
        self.region = QComboBox()
        self.region.setAccessibleName(t.CRISIS_REGION_LABEL)
        for code in REGIONS:
            self.region.addItem(crisis_resources(code).region_name, code)
        self.region.addItem(crisis_resources("").region_name or "Another country", "")
        region_label = QLabel(t.CRISIS_REGION_LABEL)
        region_label.setBuddy(self.region)
        self.plan_button = QPushButton(CRISIS_PANEL_SAFETY_PLAN_BUTTON)
        self.plan_button.setAccessibleName(CRISIS_PANEL_SAFETY_PLAN_BUTTON)
        self.plan_button.clicked.connect(self.safety_plan_requested.emit)
        row = QHBoxLayout()
        row.addWidget(region_label)
        row.addWidget(self.region)
        row.addStretch(1)
        row.addWidget(self.plan_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.lines)
        layout.addLayout(row)
        index = self.region.findData(region.upper())
        self.region.setCurrentIndex(index if index >= 0 else self.region.count() - 1)
        self.region.currentIndexChanged.connect(lambda _: self._show_lines())
        self.raised_for_crisis = False
        self.hide()

    def raise_for_crisis(self) -> None:
        """Show it now, and for the rest of the session."""
        self.raised_for_crisis = True
        self._fill(CRISIS_PANEL_TITLE, CRISIS_PANEL_BODY)

    def show_check_in(self) -> None:
        """The gentle card at the start of a session within 24 hours of a flagged one."""
        self._fill(CHECK_IN_TITLE, CHECK_IN_BODY)

    def reset(self) -> None:
        """A new session: the panel goes (the history keeps the flag, the next start may check in)."""
        self.raised_for_crisis = False
        self.hide()

    def _fill(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self._show_lines()
        self.show()
        self.plan_button.setFocus(Qt.FocusReason.OtherFocusReason)
        event = QAccessibleEvent(self, QAccessible.Event.Alert)  # read out at once, as an alert
        QAccessible.updateAccessibility(event)

    def _show_lines(self) -> None:
        resources = crisis_resources(self.region.currentData() or "")
        rows = [f"<b>{escape(resources.emergency_text)}</b>"]
        rows += [escape(t.CRISIS_LINE.format(name=line.name, how=line.how, hours=line.hours)) for line in resources.lines]
        if resources.region:  # the default lines already point to the helpline finder
            rows.append(escape(t.CRISIS_MORE.format(url=resources.find_a_helpline_url)))
        self.lines.setText("<br>".join(rows))
        self.setAccessibleDescription(" ".join([self.title.text(), self.body.text(), resources.summary]))
