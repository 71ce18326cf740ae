"""Below the conversation: the exercise on screen and the summary, in a scroll area that
shares the height with the transcript through a splitter. A panel opens at the height it needs
(up to 60 %); at 2× scale on a small screen it scrolls instead of pushing the window past the
screen's edge."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

MAX_SHARE = 0.6  # the conversation keeps at least 40 %


class SessionPanels(QScrollArea):
    def __init__(self, transcript: QWidget, panels: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panels = list(panels)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in self._panels:
            layout.addWidget(panel)
        layout.addStretch(1)
        self.setObjectName("panels")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panels' own controls take focus
        self.hide()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(transcript)
        self.splitter.addWidget(self)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

    def fit(self) -> None:
        """Show the area while a panel is up, with room for it; hide it when none is."""
        shown = any(not p.isHidden() for p in self._panels)
        appearing = shown and self.isHidden()
        self.setVisible(shown)
        if not shown:
            return
        total = sum(self.splitter.sizes()) or self.splitter.height()
        wanted = min(self.widget().sizeHint().height() + 4, int(total * MAX_SHARE))
        if appearing or self.splitter.sizes()[1] < wanted:
            self.splitter.setSizes([total - wanted, wanted])
