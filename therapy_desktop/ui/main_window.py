"""The main window: choose a session, rate the mood, start and end it, follow the conversation,
do the exercises the AI companion offers, keep the summary, read the history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.events import CallRenewal, LimitApproaching
from therapy_desktop.session.state import EndReason, SessionOutcome, SessionState
from therapy_desktop.session.transcript import TranscriptItem
from therapy_desktop.storage import SummaryRecord
from therapy_desktop.therapy import THERAPY_PROFILES, SessionSummary, TherapyType, ToolResult
from therapy_desktop.therapy.safety import AI_DISCLOSURE, CRISIS_RESOURCES
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.exercise_host import ExerciseHost
from therapy_desktop.ui.error_banner import ErrorBanner
from therapy_desktop.ui.grounding_view import GroundingView
from therapy_desktop.ui.history_window import HistoryWindow, StoreGetter
from therapy_desktop.ui.level_meter import LevelMeter
from therapy_desktop.ui.mic_controls import MicControls
from therapy_desktop.ui.mood_picker import MoodPicker
from therapy_desktop.ui.pacer import BreathingPacer
from therapy_desktop.storage.consent import record_acceptance, terms_accepted
from therapy_desktop.therapy import CONSENT_VERSION
from therapy_desktop.diagnostics import current_diagnostics
from therapy_desktop.logs import recent_errors
from therapy_desktop.ui.about_dialog import AboutDialog, copy_to_clipboard
from therapy_desktop.ui.safety_controls import SafetyControls
from therapy_desktop.settings import SettingsSaveError
from therapy_desktop.ui.settings_dialog import SETTINGS_SHORTCUT, SettingsTools
from therapy_desktop.ui.session_controller import SessionController
from therapy_desktop.ui.session_timer import LimitNotice, SessionTimerLabel
from therapy_desktop.ui.status_badge import StatusBadge
from therapy_desktop.ui.style import is_dark, style_sheet
from therapy_desktop.ui.summary_view import SummaryView
from therapy_desktop.ui.text_input import TextInput
from therapy_desktop.ui.session_panels import SessionPanels
from therapy_desktop.ui.transcript_view import TranscriptView
from therapy_desktop.ui.window_size import opening_size

START_OR_END = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return)
HISTORY = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_H)


class MainWindow(QMainWindow):
    mode_chosen = Signal(str)  # the connection picker changed (the app warms up what it needs)

    def __init__(self, controller: SessionController, *, mode: ConnectMode, therapy: TherapyType,
                 history_store: StoreGetter | None = None,
                 forget_everything: Callable[[bool], Awaitable[str]] | None = None,
                 settings_tools: SettingsTools | None = None) -> None:
        super().__init__()
        self.controller = controller
        self._history_store = history_store
        self.history_window: HistoryWindow | None = None
        self._settings_tools = settings_tools
        self.setWindowTitle(texts.WINDOW_TITLE)
        self._dark = is_dark(self.palette())
        self.setStyleSheet(style_sheet(self.palette()))

        disclosure = QLabel(f"<b>AI, not a person.</b> {AI_DISCLOSURE}")
        disclosure.setObjectName("disclosure")
        disclosure.setWordWrap(True)

        self.therapy_picker = QComboBox()
        for profile in THERAPY_PROFILES.values():
            self.therapy_picker.addItem(profile.title, str(profile.type))
            self.therapy_picker.setItemData(self.therapy_picker.count() - 1, profile.blurb, Qt.ItemDataRole.ToolTipRole)
        self.therapy_picker.setCurrentIndex(self.therapy_picker.findData(str(therapy)))
        self.therapy_picker.setAccessibleName("Session type")
        self.mode_picker = QComboBox()
        for m in ConnectMode:
            self.mode_picker.addItem(texts.MODE_TITLES[m], str(m))
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(str(mode)))
        self.mode_picker.setAccessibleName("Connection")
        self.mode_picker.currentIndexChanged.connect(lambda _: self.mode_chosen.emit(self.mode_picker.currentData()))
        self.start_button = QPushButton(texts.START)
        self.start_button.setObjectName("startButton")
        self.start_button.setAccessibleName(texts.START)
        self.start_button.setToolTip(texts.START_TIP)
        self.start_button.clicked.connect(self._start_or_end)
        self.retry_button = QPushButton(texts.RETRY)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAccessibleName(texts.RETRY_NAME)
        self.retry_button.clicked.connect(controller.retry)
        self.retry_button.hide()
        session_label, connection_label = QLabel(texts.SESSION_LABEL), QLabel(texts.CONNECTION_LABEL)
        session_label.setBuddy(self.therapy_picker)
        connection_label.setBuddy(self.mode_picker)

        controls = QHBoxLayout()
        controls.addWidget(session_label)
        controls.addWidget(self.therapy_picker)
        controls.addSpacing(12)
        controls.addWidget(connection_label)
        controls.addWidget(self.mode_picker)
        controls.addStretch(1)
        controls.addWidget(self.retry_button)
        controls.addWidget(self.start_button)
        self.mood_before = MoodPicker(texts.MOOD_NOW)

        self.status = StatusBadge()
        self.timer = SessionTimerLabel(self._timer_reading)
        self.meter = LevelMeter()
        mic_label = self.mic_label = QLabel(texts.MIC)
        mic_label.setObjectName("micLabel")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addSpacing(12)
        status_row.addWidget(self.timer)
        status_row.addStretch(1)
        status_row.addWidget(mic_label)
        status_row.addWidget(self.meter, 0)
        self.meter.setFixedWidth(180)
        self.mic_controls = MicControls(controller)  # listening mode, Mute (Ctrl+M), push-to-talk (Space)
        if settings_tools is not None:  # the saved listening mode, and a change kept for next time
            self.mic_controls.set_mode(settings_tools.store.load().audio_mode)
            self.mic_controls.mode_chosen.connect(self._keep_audio_mode)

        self.limit_notice = LimitNotice()
        self.error_banner = ErrorBanner()
        self.transcript = TranscriptView()
        self.text_input = TextInput()
        self.text_input.setEnabled(False)
        self.text_input.submitted.connect(controller.send_text)
        self.copy_button = QPushButton(texts.COPY_TRANSCRIPT)
        self.copy_button.setAccessibleName(texts.COPY_TRANSCRIPT_NAME)
        self.copy_button.clicked.connect(self._copy_transcript)
        input_row = QHBoxLayout()
        input_row.addWidget(self.text_input, 1)
        input_row.addWidget(self.copy_button)

        self.pacer = BreathingPacer()
        self.grounding = GroundingView()
        self.summary_view = SummaryView()
        self.panels = SessionPanels(self.transcript, (self.pacer, self.grounding, self.summary_view))
        splitter = self.splitter = self.panels.splitter
        crisis = QLabel(f"<b>In crisis?</b> {CRISIS_RESOURCES}")
        crisis.setObjectName("crisis")
        crisis.setWordWrap(True)

        root = QWidget()
        root.setObjectName("pageContent")
        layout = QVBoxLayout(root)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        for widget in (disclosure,):
            layout.addWidget(widget)
        layout.addLayout(controls)
        layout.addWidget(self.mood_before)
        layout.addLayout(status_row)
        layout.addWidget(self.mic_controls)
        layout.addWidget(self.limit_notice)
        layout.addWidget(self.error_banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(input_row)
        layout.addWidget(crisis)
        # The page scrolls when the screen is too small for it (2× scaling on a laptop) instead of
        # the window growing past the screen's edge whenever a notice or a panel appears.
        self.page = QScrollArea()
        self.page.setObjectName("page")
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.page.setWidget(root)
        self.setCentralWidget(self.page)  # QScrollArea scrolls Tab's focus into view by itself
        self._build_menu()
        self.safety = SafetyControls(self, controller, layout, after=self.error_banner,
                                     consent_needed=lambda: not terms_accepted(),
                                     record_consent=lambda: record_acceptance(CONSENT_VERSION),
                                     forget_everything=forget_everything)
        self._build_help_menu()
        self._set_tab_order()
        self.resize(opening_size(self.screen()))

        self.exercises = ExerciseHost(controller, self.pacer, self.grounding, self.transcript.add_notice,
                                      on_change=self._update_panels, parent=self)
        self.summary_view.saved.connect(lambda *_: (self._update_panels(), self._show_mood_before()))
        controller.state_changed.connect(self._on_state)
        controller.transcript_item_changed.connect(self._on_item)
        controller.transcript_reset.connect(self._on_new_session)
        controller.error_raised.connect(self.error_banner.show_message)
        controller.notice_raised.connect(self.error_banner.show_notice)
        controller.mic_level_changed.connect(self.meter.set_level)
        controller.mic_paused_changed.connect(self._on_mic_paused)
        self.mic_controls.uplink_changed.connect(lambda: self._on_mic_paused(self.meter.paused))
        controller.tool_ran.connect(self._on_tool)
        controller.session_ended.connect(self._on_ended)
        controller.call_renewed.connect(self._on_call_renewed)
        controller.limit_approaching.connect(self._on_limit)
        self._close_requested = False
        self._close_confirmed = False
        self.close_question: QMessageBox | None = None
        self._header: str | None = None  # the session's header, shown once it connects
        self._connected = False
        self.on_close_requested: Callable[[], object] | None = None  # set by the app: shutdown before the window goes
        self._on_screen: bool | None = None  # known from the first show on

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(texts.MENU_SESSION)
        self.start_action = QAction(texts.START, self)
        self.start_action.setShortcut(START_OR_END)
        self.start_action.triggered.connect(self._start_or_end)
        self.history_action = QAction(texts.MENU_HISTORY, self)
        self.history_action.setShortcut(HISTORY)
        self.history_action.setEnabled(self._history_store is not None)
        self.history_action.triggered.connect(self.open_history)
        copy_action = QAction(texts.COPY_TRANSCRIPT, self)
        copy_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_C))
        copy_action.triggered.connect(self._copy_transcript)
        quit_action = QAction(texts.MENU_QUIT, self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)  # the same path as the close button: hang up first
        self.settings_action = QAction(texts.MENU_SETTINGS, self)
        self.settings_action.setShortcut(SETTINGS_SHORTCUT)
        self.settings_action.setEnabled(self._settings_tools is not None)
        self.settings_action.triggered.connect(self.open_settings)
        for action in (self.start_action, self.history_action, self.settings_action, copy_action, quit_action):
            menu.addAction(action)
            self.addAction(action)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter), self, self._start_or_end)  # the keypad's Enter

    def _build_help_menu(self) -> None:
        """Last in the menu bar, after Session and Safety."""
        help_menu = self.menuBar().addMenu(texts.MENU_HELP)
        about = QAction(texts.MENU_ABOUT, self)
        about.triggered.connect(lambda: AboutDialog(self, diagnostics=self._diagnostics).exec())
        diagnostics = QAction(texts.MENU_DIAGNOSTICS, self)
        diagnostics.triggered.connect(lambda: copy_to_clipboard(self._diagnostics()))
        help_menu.addAction(about)
        help_menu.addAction(diagnostics)

    def _diagnostics(self) -> str:
        """Versions, devices, mode and the last errors: no secrets, no transcript."""
        return current_diagnostics(str(self.mode_picker.currentData()), recent_errors())

    def _set_tab_order(self) -> None:
        chain = [self.therapy_picker, self.mode_picker, self.retry_button, self.start_button,
                 self.mood_before.slider, self.mood_before.skip, *self.mic_controls.focus_chain(),
                 self.error_banner.dismiss, self.transcript,
                 self.pacer.stop_button, self.grounding.next_button, self.grounding.stop_button,
                 self.summary_view.steps, self.summary_view.mood.slider, self.summary_view.mood.skip,
                 self.summary_view.skip_button, self.summary_view.save_button,
                 self.text_input.line, self.text_input.send_button, self.copy_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    # -- actions -------------------------------------------------------------------------------

    def _start_or_end(self) -> None:
        if self.controller.state.is_live:
            self.controller.end()
            return
        if self.controller.state is SessionState.ENDING:
            return
        if self.summary_view.pending:
            self.summary_view.skip()  # a new session: the last one's mood stays unrated
        self.error_banner.hide()
        therapy = TherapyType(self.therapy_picker.currentData())
        mode = ConnectMode(self.mode_picker.currentData())
        self.controller.start(therapy, mode, self.mood_before.value())

    def open_history(self) -> HistoryWindow | None:
        if self._history_store is None:
            return None
        if self.history_window is None:
            self.history_window = HistoryWindow(self._history_store, self)
            self.history_window.resize(opening_size(self.screen(), wanted=(820, 640)))
        self.history_window.show()
        self.history_window.raise_()
        self.history_window.activateWindow()
        self.history_window.table.setFocus()
        return self.history_window

    def open_settings(self) -> QDialog | None:
        if self._settings_tools is None:
            return None
        dialog = self._settings_tools.dialog(self)
        store = self._settings_tools.store
        dialog.accepted.connect(lambda: self._saved_mode_maybe_changed(store.load().audio_mode))
        dialog.open()
        return dialog

    def _saved_mode_maybe_changed(self, mode: AudioMode) -> None:
        """Settings saved: a new listening mode applies now; the same one leaves this session's as it
        is (it may have switched to speakers itself)."""
        if mode is not self.mic_controls.chosen_mode:
            self.mic_controls.set_mode(mode)

    def _keep_audio_mode(self, mode: AudioMode) -> None:
        store = self._settings_tools.store if self._settings_tools else None
        if store is not None:
            try:
                store.save(replace(store.load(), audio_mode=mode))
            except SettingsSaveError as exc:
                self.error_banner.show_message(str(exc))

    def _copy_transcript(self) -> None:
        self.transcript.copy_all()
        announce(self.transcript, texts.TRANSCRIPT_COPIED)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Enter starts a session from the choices at the top (a main window has no default button).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() and self._enter_starts():
            self._start_or_end()
            event.accept()
            return
        super().keyPressEvent(event)

    def _enter_starts(self) -> bool:
        if self.controller.state.is_live:
            return False
        focus = QGuiApplication.focusObject()
        starters = (None, self, self.therapy_picker, self.mode_picker, self.start_button, self.transcript,
                    self.mood_before.slider, self.mood_before.skip)
        return focus in starters

    # -- what the session says -----------------------------------------------------------------

    def _on_state(self, state: SessionState) -> None:
        self.status.show_state(state)
        announce(self.status, self.status.accessibleName())
        self.retry_button.setVisible(state is SessionState.DISCONNECTED)
        if state is SessionState.RECONNECTING:
            self.error_banner.hide()
        if state.is_in_call and self._header is not None:
            self.transcript.start_session(self._header)  # only now: a failed Start leaves no empty header
            self._header = None
            self._connected = True
        if not state.is_live:
            self._header = None
        live = state.is_live
        self.start_button.setText(texts.END if live else texts.START)
        self.start_button.setAccessibleName(texts.END if live else texts.START)
        self.start_button.setToolTip(texts.END_TIP if live else texts.START_TIP)
        self.start_action.setText(texts.END if live else texts.START)
        self.start_button.setEnabled(state is not SessionState.ENDING)
        self.therapy_picker.setEnabled(not live)
        self.mode_picker.setEnabled(not live)
        self._show_mood_before()
        self.text_input.setEnabled(state.is_in_call)
        self.timer.running(state.is_in_call)
        self._update_panels()

    def _show_mood_before(self) -> None:
        """Before a session only, and not while the last one's mood after is being asked."""
        self.mood_before.setVisible(not self.controller.state.is_live and not self.summary_view.pending)

    def _timer_reading(self) -> tuple[float, float] | None:
        session = self.controller.session
        if session is None or session.timer.started_at is None:
            return None
        return session.timer.elapsed, session.timer.limits.max_minutes

    def _on_new_session(self) -> None:
        therapy = THERAPY_PROFILES[TherapyType(self.therapy_picker.currentData())].title
        mode = texts.MODE_TITLES[ConnectMode(self.mode_picker.currentData())]
        self._header = f"{therapy} · {mode} · {datetime.now():%H:%M}"
        self._connected = False
        self.mood_before.reset()  # the next session asks afresh
        self.limit_notice.hide()
        self.summary_view.hide()
        self._update_panels()

    def _on_mic_paused(self, paused: bool) -> None:
        self.meter.set_paused(paused)
        self.mic_label.setText(self.mic_controls.mic_label(paused))

    def _on_item(self, item: TranscriptItem) -> None:
        session = self.controller.session
        order = [i.item_id for i in session.transcript.visible_items()] if session else []
        self.transcript.show_item(item, order)

    def _on_tool(self, result: ToolResult) -> None:
        if isinstance(result.effect, SessionSummary):
            self.transcript.add_notice(texts.WRAPPING_UP)
        elif result.error:
            self.transcript.add_notice(texts.TOOL_FAILED)

    def _on_limit(self, approaching: LimitApproaching) -> None:
        self.limit_notice.show_minutes_left(approaching.minutes_left)

    def _on_ended(self, outcome: SessionOutcome) -> None:
        self.limit_notice.hide()
        if outcome.reason is EndReason.ERROR and self.transcript.bubbles():
            self.transcript.add_notice(texts.SESSION_STOPPED)
        if outcome.summary is not None or self._connected:
            self.summary_view.present(outcome.summary, self._save_after_session,
                                      recorded=self.controller.recorder is not None)
            self._update_panels()
            self._show_mood_before()
            self.summary_view.save_button.setFocus()
            self.panels.ensureWidgetVisible(self.summary_view.mood)
        else:
            self.controller.set_mood_after(None)  # it never began: nothing to rate, the records still close

    def _save_after_session(self, summary: SummaryRecord | None, mood: int | None) -> None:
        recorder = self.controller.recorder
        if summary is not None and recorder is not None:
            recorder.set_summary(summary)
        self.controller.set_mood_after(mood)

    def _on_call_renewed(self, renewal: CallRenewal) -> None:
        self.transcript.add_notice(texts.CONNECTION_RENEWED.format(time=datetime.now()))

    def _update_panels(self) -> None:
        self.panels.fit()

    # -- look ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._follow_screen()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._follow_screen()

    def _follow_screen(self) -> None:
        """Minimised or hidden, the live parts (meter, timer, streaming text, the pacer's glide)
        stop painting and ticking; back on screen they show what is current at once."""
        on_screen = self.isVisible() and not self.isMinimized()
        if on_screen == self._on_screen:
            return
        self._on_screen = on_screen
        # Nothing else paints either (a state's words, a notice): some platforms (offscreen,
        # Xvfb without a window manager) paint a minimised window as if it were shown.
        self.page.setUpdatesEnabled(on_screen)
        for live in (self.meter, self.timer, self.transcript, self.pacer):
            live.set_on_screen(on_screen)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self._follow_screen()
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            dark = is_dark(QGuiApplication.palette())
            if dark != self._dark:  # the system switched light/dark: every colour follows
                self._dark = dark
                self.setStyleSheet(style_sheet(QGuiApplication.palette()))
                if self.history_window is not None:
                    self.history_window.setStyleSheet(style_sheet(QGuiApplication.palette()))

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.controller.state.is_live and not self._close_confirmed:
            event.ignore()
            self._ask_to_close()
            return
        if self.on_close_requested is not None and not self._close_requested:
            self._close_requested = True
            event.ignore()
            if self.history_window is not None:
                self.history_window.close()
            self.on_close_requested()
            return
        super().closeEvent(event)

    def _ask_to_close(self) -> None:
        if self.close_question is not None:
            return  # asked once: the question is already on screen
        box = QMessageBox(QMessageBox.Icon.Question, texts.CLOSE_TITLE, texts.CLOSE_QUESTION,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(texts.CLOSE_DETAIL)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(self._close_answered)
        self.close_question = box
        box.open()  # not exec(): the session's loop keeps running while the question waits

    def _close_answered(self, answer: int) -> None:
        box, self.close_question = self.close_question, None
        if box is not None:
            box.deleteLater()
        if answer == QMessageBox.StandardButton.Yes:
            self._close_confirmed = True
            self.close()
