"""The conversation as chat bubbles, in the transcript's order, growing as text streams in.
Selecting and copying it as a whole is transcript_selection's job."""

from __future__ import annotations

import re
from html import unescape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from therapy_desktop.session.transcript import USER, TranscriptItem
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.transcript_selection import TranscriptSelection

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
        self.header = QLabel(texts.YOU if self.role == USER else texts.AI_NAME)
        self.header.setObjectName("bubbleHeader")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # shown in a select-all
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)  # what was said, never markup
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.final = False
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.update_from(item)

    def update_from(self, item: TranscriptItem) -> None:
        text = item.text.strip()
        if item.status == "transcription_failed" and not text:
            text = texts.NOT_TRANSCRIBED
        elif not text:
            text = _PLACEHOLDER.get(self.role, "…")
        if item.status == "interrupted":
            text += texts.INTERRUPTED
        self.body.setText(text)
        self.final = item.final or item.status != "in_progress"
        said = texts.YOU_SAID if self.role == USER else texts.AI_SAID
        self.setAccessibleName(said.format(text=text))
        self.body.setAccessibleName(said.format(text=text))
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

    def as_line(self) -> str:
        return f"{self.header.text()}: {self.text}"


class Notice(QLabel):
    """A line in the conversation that is not speech: a tool the AI companion used, the summary."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.text_plain())

    def text_plain(self) -> str:
        return _strip_tags(self.text())


def _labels(widget: QWidget) -> list[QLabel]:
    """The selectable text of a line of the conversation: who spoke and what they said, or the notice."""
    return [widget.header, widget.body] if isinstance(widget, Bubble) else [widget]  # type: ignore[list-item]


def _strip_tags(html: str) -> str:
    """Notices carry a little markup (<b>, <br>, lists); copies and screen readers get the words."""
    text = re.sub(r"<br\s*/?>", "\n", html).replace("<li>", "\n• ")
    return unescape(re.sub(r"<[^>]+>", "", text)).strip()


class _Row(QWidget):
    """One line of the conversation: the person's bubbles sit right, the AI companion's left,
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
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab; the frame shows focus
        self.setAccessibleName(texts.TRANSCRIPT_NAME)
        self.setAccessibleDescription(texts.TRANSCRIPT_DESCRIPTION)
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
        self.on_screen = True
        self._order: list[QWidget] = []  # bubbles and notices, top to bottom, all sessions
        self._first = 0  # where the current session begins in _order
        self._sessions = 0
        self._announced: set[str] = set()
        self.selection = TranscriptSelection(self, lambda: [label for w in self._order for label in _labels(w)],
                                             self.transcript_text)
        self.selection.watch_background(self._content)
        self._append_widget(Notice(texts.HINT))

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
            self._announce_if_final(bubble)
            return
        # Text streams in word by word (faster than that from some servers): relayout at most
        # every REFRESH_MS instead of once per word. Off screen nothing is laid out until the
        # window is back, except a message that is complete: a screen reader hears it now.
        self._dirty[item.item_id] = item
        self._dirty_order = visible_order
        if not self.on_screen:
            if item.final or item.status != "in_progress":
                self._flush_updates()
        elif not self._refresh.isActive():
            self._refresh.start()

    def set_on_screen(self, on_screen: bool) -> None:
        """The window is minimised or hidden (False): hold the streaming text; back (True): show it."""
        if on_screen == self.on_screen:
            return
        self.on_screen = on_screen
        if not on_screen:
            self._refresh.stop()
        elif self._dirty:
            self._flush_updates()

    def _flush_updates(self) -> None:
        dirty, self._dirty = self._dirty, {}
        for item_id, item in dirty.items():
            if item_id in self._bubbles:
                self._bubbles[item_id].update_from(item)
                self.selection.keep_selected(self._bubbles[item_id].body)
                self._announce_if_final(self._bubbles[item_id])
        self._reorder(self._dirty_order)

    def add_notice(self, text: str) -> None:
        notice = Notice(text)
        self._append_widget(notice)
        announce(self, notice.text_plain())

    def _announce_if_final(self, bubble: Bubble) -> None:
        """A message is read out once, when complete: word-by-word updates would stutter."""
        if bubble.final and bubble.item_id not in self._announced:
            self._announced.add(bubble.item_id)
            announce(self, bubble.accessibleName())

    def transcript_text(self) -> str:
        """Everything on screen, every session, as plain text (for Copy)."""
        if self._dirty:
            self._refresh.stop()
            self._flush_updates()
        lines = [w.as_line() if isinstance(w, Bubble) else w.text_plain() for w in self._order]  # type: ignore[attr-defined]
        return "\n\n".join(lines)

    def copy_all(self) -> str:
        text = self.transcript_text()
        QGuiApplication.clipboard().setText(text)
        return text

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.update()  # a scroll area does not repaint its frame on focus: the ring would not show

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Ctrl+A then Ctrl+C (or Ctrl+C alone) copies the whole conversation, not one bubble.
        if not self.selection.handle_key(event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        """Right-click over a bubble or beside them (bubbles defer theirs), or the platform's Menu key."""
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        self.selection.open_menu(None if keyboard else event.globalPos())
        event.accept()

    def bubbles(self) -> list[Bubble]:
        """The current session's bubbles, top to bottom, with any pending text applied."""
        if self._dirty:
            self._refresh.stop()
            self._flush_updates()
        return [w for w in self._order[self._first :] if isinstance(w, Bubble)]

    def _append_widget(self, widget: QWidget) -> None:
        self._order.append(widget)
        self._layout.insertWidget(self._layout.count() - 1, _Row(widget))
        for label in _labels(widget):
            self.selection.watch(label)

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
        for label in _labels(bubble):
            self.selection.watch(label)

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
