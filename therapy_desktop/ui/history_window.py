"""The history: past sessions in a table (date, type, duration, mood before → after, status,
flags), the chosen one's summary and transcript, delete (after a confirmation), export to
Markdown or PDF, and the mood over time. Every read and write is async on the store; the
window never waits on the disk."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.storage import SessionRecord, SessionStore, StorageError, to_html, to_markdown
from therapy_desktop.storage import wording as storage_words
from therapy_desktop.therapy import THERAPY_PROFILES, TherapyType
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.friendly_errors import friendly_error
from therapy_desktop.ui.mood_chart import MoodChart
from therapy_desktop.ui.pdf_export import write_pdf
from therapy_desktop.ui.style import style_sheet
from therapy_desktop.ui.tasks import TaskRunner

StoreGetter = Callable[[], Awaitable[SessionStore | None]]
# (title, suggested file name, filter) -> the chosen path, None when cancelled
SavePathChooser = Callable[[QWidget, str, str, str], Path | None]


def _choose_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return Path(path) if path else None


def _therapy_title(value: str) -> str:
    try:
        return THERAPY_PROFILES[TherapyType(value)].title
    except ValueError:
        return value


def row_cells(session: SessionRecord) -> list[str]:
    """The table's words for one session, in the order of texts.HISTORY_COLUMNS."""
    mood = texts.HISTORY_MOOD.format(before=session.mood_before if session.mood_before is not None else "–",
                                     after=session.mood_after if session.mood_after is not None else "–")
    return [
        f"{datetime.fromtimestamp(session.started_at):%Y-%m-%d %H:%M}",
        _therapy_title(session.therapy_type),
        storage_words.duration(session.duration_seconds),
        mood,
        texts.HISTORY_STATUS.get(str(session.status), str(session.status)),
        ", ".join(texts.HISTORY_FLAGS.get(f, f) for f in session.flags),
    ]


class HistoryWindow(QWidget):
    changed = Signal()  # a list, an opened session, a delete or an export finished (tests wait on it)

    def __init__(self, store: StoreGetter, parent: QWidget | None = None,
                 choose_save_path: SavePathChooser = _choose_save_path) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("historyWindow")
        self.setWindowTitle(texts.HISTORY_TITLE)
        self.setStyleSheet(style_sheet(self.palette()))
        self._get_store = store
        self.choose_save_path = choose_save_path
        self._tasks = TaskRunner(self._show_problem)
        self.sessions: list[SessionRecord] = []
        self.current: SessionRecord | None = None

        self.table = QTableWidget(0, len(texts.HISTORY_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(texts.HISTORY_COLUMNS))
        self.table.setAccessibleName(texts.HISTORY_LIST_NAME)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control, arrows move in the list
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(texts.HISTORY_DETAIL_NAME)
        self.detail.setOpenLinks(False)
        self.detail.setPlainText(texts.HISTORY_CHOOSE)
        self.chart = MoodChart()
        self.message = QLabel()
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.delete_button = self._button(texts.HISTORY_DELETE, texts.HISTORY_DELETE_NAME, self.delete_selected)
        self.export_md_button = self._button(texts.HISTORY_EXPORT_MD, texts.HISTORY_EXPORT_MD_NAME, self.export_markdown)
        self.export_pdf_button = self._button(texts.HISTORY_EXPORT_PDF, texts.HISTORY_EXPORT_PDF_NAME, self.export_pdf)
        self.close_button = self._button(texts.HISTORY_CLOSE, texts.HISTORY_CLOSE_NAME, self.close)
        self._set_session_buttons(False)

        buttons = QHBoxLayout()
        for button in (self.delete_button, self.export_md_button, self.export_pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.chart)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.setTabOrder(self.chart, self.table)
        self.setTabOrder(self.table, self.detail)
        self.setTabOrder(self.detail, self.delete_button)
        self.setTabOrder(self.delete_button, self.export_md_button)
        self.setTabOrder(self.export_md_button, self.export_pdf_button)
        self.setTabOrder(self.export_pdf_button, self.close_button)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _set_session_buttons(self, enabled: bool) -> None:
        for button in (self.delete_button, self.export_md_button, self.export_pdf_button):
            button.setEnabled(enabled)

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> asyncio.Task[None]:
        return self._tasks.run(self._refresh(), what="read the history")

    async def _refresh(self, select: str | None = None) -> None:
        store = await self._store()
        if store is None:
            return
        sessions, moods = await asyncio.gather(store.list_sessions_async(), store.mood_history_async())
        self.sessions = sessions
        self.chart.set_points(moods)
        self.table.blockSignals(True)
        self.table.setRowCount(len(sessions))
        for row, session in enumerate(sessions):
            for column, text in enumerate(row_cells(session)):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, session.session_id)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        if not sessions:
            self._say(texts.HISTORY_EMPTY)
        ids = [s.session_id for s in sessions]
        if select in ids:
            self.table.selectRow(ids.index(select))
        elif self.current is None or self.current.session_id not in ids:
            self.current = None
            self.detail.setPlainText(texts.HISTORY_CHOOSE)
            self._set_session_buttons(False)
        self.changed.emit()

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.sessions):
            self.open_session(self.sessions[row].session_id)

    def open_session(self, session_id: str) -> asyncio.Task[None]:
        return self._tasks.run(self._open(session_id), what="open the session")

    async def _open(self, session_id: str) -> None:
        store = await self._store()
        if store is None:
            return
        session, items = await asyncio.gather(store.get_session_async(session_id), store.items_async(session_id))
        if session is None:
            return
        self.current = session
        self.detail.setHtml(to_html(session, items))
        self._set_session_buttons(True)
        self.changed.emit()

    # -- deleting ------------------------------------------------------------------------------

    def delete_selected(self) -> None:
        if self.current is None:
            return
        session = self.current
        box = QMessageBox(QMessageBox.Icon.Question, texts.HISTORY_DELETE_TITLE,
                          texts.HISTORY_DELETE_QUESTION.format(date=row_cells(session)[0]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter on a delete question keeps the session
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._delete(session.session_id)
                             if answer == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()

    def _delete(self, session_id: str) -> asyncio.Task[None]:
        return self._tasks.run(self._delete_now(session_id), what="delete the session")

    async def _delete_now(self, session_id: str) -> None:
        store = await self._store()
        if store is None:
            return
        await store.delete_session(session_id)
        self.current = None
        await self._refresh()
        self._say(texts.HISTORY_DELETED)

    # -- exporting -----------------------------------------------------------------------------

    def export_markdown(self) -> asyncio.Task[None] | None:
        return self._export("md", texts.HISTORY_EXPORT_MD_NAME, texts.HISTORY_MD_FILTER)

    def export_pdf(self) -> asyncio.Task[None] | None:
        return self._export("pdf", texts.HISTORY_EXPORT_PDF_NAME, texts.HISTORY_PDF_FILTER)

    def _export(self, kind: str, title: str, file_filter: str) -> asyncio.Task[None] | None:
        if self.current is None:
            return None
        started = datetime.fromtimestamp(self.current.started_at)
        path = self.choose_save_path(self, title, f"session-{started:%Y-%m-%d-%H%M}.{kind}", file_filter)
        if path is None:
            return None
        return self._tasks.run(self._write(self.current.session_id, kind, path), what="export the session")

    async def _write(self, session_id: str, kind: str, path: Path) -> None:
        store = await self._store()
        if store is None:
            return
        session, items = await asyncio.gather(store.get_session_async(session_id), store.items_async(session_id))
        if session is None:
            return
        try:
            if kind == "md":
                await asyncio.to_thread(path.write_text, to_markdown(session, items), "utf-8")
            else:
                write_pdf(to_html(session, items), path)  # Qt lays it out: the GUI thread
        except OSError as exc:
            self._say(texts.HISTORY_EXPORT_FAILED.format(reason=exc.strerror or exc))
        else:
            self._say(texts.HISTORY_EXPORTED.format(path=path))
        self.changed.emit()

    # -- inside ----------------------------------------------------------------------------------

    async def _store(self) -> SessionStore | None:
        try:
            store = await self._get_store()
        except StorageError as exc:
            self._say(texts.HISTORY_UNAVAILABLE.format(reason=exc))
            return None
        if store is None:
            self._say(texts.HISTORY_NOT_OPEN)
        return store

    def _say(self, text: str) -> None:
        self.message.setText(text)
        announce(self.message, text)

    def _show_problem(self, text: str) -> None:
        problem = friendly_error(text)
        self._say(problem.sentence + (f" {texts.ERROR_DETAIL.format(detail=problem.detail)}" if problem.detail else ""))

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()
