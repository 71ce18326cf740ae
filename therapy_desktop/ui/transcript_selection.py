"""Selecting and copying the conversation, whose lines are separate labels.

The mouse selects inside one line and Ctrl+C copies that. Ctrl+A — in the transcript or inside
a line — selects the whole conversation (every line shown selected, new text too) and Ctrl+C
then copies all of it, in order, with who said what; so does Ctrl+C with nothing selected. A
click ends the select-all. The same actions sit in a menu: right-click, the Menu key, Shift+F10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QTextDocument
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce


class TranscriptSelection(QObject):
    def __init__(self, owner: QWidget, lines: Callable[[], Sequence[QLabel]], whole_text: Callable[[], str]) -> None:
        super().__init__(owner)
        self._owner = owner  # announces, and parents the menu
        self._lines = lines  # every line's selectable label, top to bottom
        self._whole_text = whole_text
        self.all_selected = False
        self.menu: QMenu | None = None  # while it is open

    def watch(self, label: QLabel) -> None:
        """A new line: its keys and clicks come here first, and it joins a select-all in progress."""
        label.installEventFilter(self)  # installing twice keeps one filter
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # the transcript's menu, not the line's
        self.keep_selected(label)

    def watch_background(self, widget: QWidget) -> None:
        """A click beside the lines ends any selection, as in a text view."""
        widget.installEventFilter(self)

    def keep_selected(self, label: QLabel) -> None:
        """Call after a line's text changes: new text replaces a label's selection."""
        if self.all_selected:
            label.setSelection(0, _shown_length(label))

    def select_all(self) -> None:
        self.all_selected = True
        for label in self._lines():
            self.keep_selected(label)
        announce(self._owner, texts.TRANSCRIPT_ALL_SELECTED)

    def clear(self) -> None:
        self.all_selected = False
        for label in self._lines():
            label.setSelection(0, 0)

    def selected_text(self) -> str:
        """What Copy takes: the part selected inside one line, else the whole conversation."""
        if not self.all_selected:
            for label in self._lines():
                if label.hasSelectedText():
                    return label.selectedText().replace("\u2029", "\n")  # Qt's paragraph separator
        return self._whole_text()

    def copy(self) -> str:
        whole = self.all_selected or not any(label.hasSelectedText() for label in self._lines())
        text = self.selected_text()
        QGuiApplication.clipboard().setText(text)
        announce(self._owner, texts.TRANSCRIPT_COPIED if whole else texts.TRANSCRIPT_SELECTION_COPIED)
        return text

    def copy_whole(self) -> str:
        text = self._whole_text()
        QGuiApplication.clipboard().setText(text)
        announce(self._owner, texts.TRANSCRIPT_COPIED)
        return text

    def handle_key(self, event: QKeyEvent) -> bool:
        """The transcript's own keys: Ctrl+A, Ctrl+C, the Menu key and Shift+F10. True when taken."""
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.key() == Qt.Key.Key_Menu or (event.key() == Qt.Key.Key_F10
                                                and event.modifiers() == Qt.KeyboardModifier.ShiftModifier):
            self.open_menu()
        else:
            return False
        event.accept()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+A in a line selects the conversation, not the line; after it, Ctrl+C in a line copies
        the conversation; a click starts a selection of its own."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.SelectAll) or (
                    self.all_selected and event.matches(QKeySequence.StandardKey.Copy)):
                if kind == QEvent.Type.KeyPress:
                    self.handle_key(event)
                event.accept()  # on ShortcutOverride: the key comes as a key press, to this filter
                return True
        elif kind == QEvent.Type.MouseButtonPress and (self.all_selected or not isinstance(watched, QLabel)):
            self.clear()
        return super().eventFilter(watched, event)

    def open_menu(self, at: QPoint | None = None) -> QMenu:
        """The menu at `at` (global), or inside the transcript when opened from the keyboard."""
        if self.menu is not None and self.menu.isVisible():
            return self.menu  # a platform that also turns the Menu key into a menu event: still one menu
        self.menu = self._menu()
        owner = self._owner
        self.menu.popup(at if at is not None else owner.mapToGlobal(QPoint(owner.width() // 3, owner.height() // 3)))
        return self.menu

    def _menu(self) -> QMenu:
        menu = QMenu(self._owner)
        menu.aboutToHide.connect(lambda: self._menu_closed(menu))
        menu.setAccessibleName(texts.TRANSCRIPT_MENU_NAME)
        menu.setToolTipsVisible(True)
        entries = (
            (texts.TRANSCRIPT_MENU_COPY, texts.TRANSCRIPT_MENU_COPY_NAME, QKeySequence.StandardKey.Copy, self.copy),
            (texts.TRANSCRIPT_MENU_SELECT_ALL, texts.TRANSCRIPT_MENU_SELECT_ALL_NAME, QKeySequence.StandardKey.SelectAll,
             self.select_all),
            (texts.TRANSCRIPT_MENU_COPY_ALL, texts.COPY_TRANSCRIPT_NAME, None, self.copy_whole),
        )
        for text, name, keys, slot in entries:
            action = QAction(text, menu)
            action.setToolTip(name)
            action.setStatusTip(name)
            if keys is not None:
                action.setShortcut(QKeySequence(keys))  # shown beside the entry; the keys work without the menu
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu

    def _menu_closed(self, menu: QMenu) -> None:
        if self.menu is menu:
            self.menu = None
        menu.deleteLater()  # after the chosen entry has run: it runs before the loop returns


def _shown_length(label: QLabel) -> int:
    """Characters on screen: a rich-text line (a notice's <b>) is shorter than its markup."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))  # QtGui's Qt has it
    if not rich:
        return len(text)
    document = QTextDocument()
    document.setHtml(text)
    return document.characterCount() - 1  # without the document's closing paragraph separator
