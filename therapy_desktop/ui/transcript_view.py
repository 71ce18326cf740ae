"""The conversation as chat bubbles, in the transcript's order, growing as text streams in."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from therapy_desktop.session.transcript import USER, TranscriptItem

_PLACEHOLDER = {USER: "…", "assistant": "…"}
REFRESH_MS = 80


class Bubble(QFrame):
    def __init__(self, item: TranscriptItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = item.item_id
        self.role = item.role or "assistant"
        self.setObjectName("userBubble" if self.role == USER else "therapistBubble")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(2)
        self.header = QLabel("You" if self.role == USER else "AI therapist")
        self.header.setObjectName("bubbleHeader")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.update_from(item)

    def update_from(self, item: TranscriptItem) -> None:
        text = item.text.strip()
        if item.status == "transcription_failed" and not text:
            text = "(your words could not be transcribed)"
        elif not text:
            text = _PLACEHOLDER.get(self.role, "…")
        if item.status == "interrupted":
            text += "  — interrupted"
        self.body.setText(text)
        self.fit_width()

    def fit_width(self, max_width: int | None = None) -> None:
        """As wide as the text needs, up to `max_width`: a word-wrapped label alone stays narrow."""
        if max_width is not None:
            self.setMaximumWidth(max_width)
        margins = self.layout().contentsMargins()
        padding = margins.left() + margins.right() + 4
        wanted = max(self.body.fontMetrics().horizontalAdvance(line) for line in self.body.text().splitlines() or [""])
        wanted = max(wanted, self.header.sizeHint().width())
        self.setMinimumWidth(min(self.maximumWidth(), wanted + padding))

    @property
    def text(self) -> str:
        return self.body.text()


class Notice(QLabel):
    """A line in the conversation that is not speech: a tool the therapist used, the summary."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


class _Row(QWidget):
    """One line of the conversation: the person's bubbles sit right, the therapist's left,
    notices span the width. (A layout alignment flag would break word-wrap height.)"""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if isinstance(widget, Bubble) and widget.role == USER:
            layout.addStretch(1)
        layout.addWidget(widget, 0 if isinstance(widget, Bubble) else 1)
        if isinstance(widget, Bubble) and widget.role != USER:
            layout.addStretch(1)


class TranscriptView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._content.setObjectName("transcriptContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.setSpacing(10)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        # Follow new lines while the reader is at the bottom; stay put once they scroll up.
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_follow", value >= bar.maximum() - 40))
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high) if self._follow else None)
        self._bubbles: dict[str, Bubble] = {}  # the current session's
        self._dirty: dict[str, TranscriptItem] = {}
        self._dirty_order: list[str] = []
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._flush_updates)
        self._order: list[QWidget] = []  # bubbles and notices, top to bottom, all sessions
        self._first = 0  # where the current session begins in _order
        self._sessions = 0
        self._append_widget(Notice("Press Start session, then speak when the status shows Listening."))

    def start_session(self, title: str) -> None:
        """A new session begins below the earlier ones, which stay on screen to read."""
        self._refresh.stop()
        self._flush_updates()
        if self._sessions == 0:
            self._remove_all()  # the first one replaces the hint
        self._sessions += 1
        self._append_widget(Notice(f"<b>{title}</b>"))
        self._bubbles = {}
        self._first = len(self._order)

    def _remove_all(self) -> None:
        for widget in self._order:
            row = widget.parentWidget()
            self._layout.removeWidget(row)
            row.deleteLater()
        self._order.clear()
        self._bubbles.clear()

    def show_item(self, item: TranscriptItem, visible_order: list[str]) -> None:
        """Add or update `item`; `visible_order` is the transcript's order of visible item ids."""
        if not item.visible:
            return
        bubble = self._bubbles.get(item.item_id)
        if bubble is None:
            bubble = self._bubbles[item.item_id] = Bubble(item)
            self._insert_bubble(bubble, visible_order)
            return
        # Text streams in word by word (faster than that from some servers): relayout at most
        # every REFRESH_MS instead of once per word.
        self._dirty[item.item_id] = item
        self._dirty_order = visible_order
        if not self._refresh.isActive():
            self._refresh.start()

    def _flush_updates(self) -> None:
        dirty, self._dirty = self._dirty, {}
        for item_id, item in dirty.items():
            if item_id in self._bubbles:
                self._bubbles[item_id].update_from(item)
        self._reorder(self._dirty_order)

    def add_notice(self, text: str) -> None:
        self._append_widget(Notice(text))

    def bubbles(self) -> list[Bubble]:
        """The current session's bubbles, top to bottom, with any pending text applied."""
        if self._dirty:
            self._refresh.stop()
            self._flush_updates()
        return [w for w in self._order[self._first :] if isinstance(w, Bubble)]

    def _append_widget(self, widget: QWidget) -> None:
        self._order.append(widget)
        self._layout.insertWidget(self._layout.count() - 1, _Row(widget))

    def _insert_bubble(self, bubble: Bubble, visible_order: list[str]) -> None:
        # Place it before the first bubble that comes after it in the transcript's order.
        position = visible_order.index(bubble.item_id) if bubble.item_id in visible_order else len(visible_order)
        later = set(visible_order[position + 1 :])
        index = next(
            (i for i, w in enumerate(self._order) if i >= self._first and isinstance(w, Bubble) and w.item_id in later),
            len(self._order),
        )
        self._order.insert(index, bubble)
        bubble.fit_width(self._bubble_width())
        self._layout.insertWidget(index, _Row(bubble))

    def _reorder(self, visible_order: list[str]) -> None:
        shown = [b.item_id for b in self.bubbles()]
        wanted = [i for i in visible_order if i in self._bubbles]
        if shown == wanted:
            return
        for bubble in self.bubbles():
            self._order.remove(bubble)
            row = bubble.parentWidget()
            self._layout.removeWidget(row)
            bubble.setParent(None)
            row.deleteLater()
        for item_id in wanted:
            self._insert_bubble(self._bubbles[item_id], visible_order)

    def _bubble_width(self) -> int:
        return max(320, int(self.viewport().width() * 0.78))

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        for bubble in self._bubbles.values():
            bubble.fit_width(self._bubble_width())
