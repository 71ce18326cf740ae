"""The main window: choose a session, start and end it, follow the conversation."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.events import CallRenewal
from therapy_desktop.session.state import EndReason, SessionOutcome, SessionState
from therapy_desktop.session.transcript import TranscriptItem
from therapy_desktop.therapy import THERAPY_PROFILES, BreathingExercise, SessionSummary, TherapyType, ToolResult
from therapy_desktop.therapy.safety import AI_DISCLOSURE, CRISIS_RESOURCES
from therapy_desktop.ui.level_meter import LevelMeter
from therapy_desktop.ui.session_controller import SessionController
from therapy_desktop.ui.status_badge import StatusBadge
from therapy_desktop.ui.style import STYLE_SHEET
from therapy_desktop.ui.texts import CONNECTION_RENEWED, MODE_TITLES
from therapy_desktop.ui.transcript_view import TranscriptView


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismissButton")
        dismiss.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()


class MainWindow(QMainWindow):
    mode_chosen = Signal(str)  # the connection picker changed (the app warms up what it needs)

    def __init__(self, controller: SessionController, *, mode: ConnectMode, therapy: TherapyType) -> None:
        super().__init__()
        self.controller = controller
        self.setWindowTitle("Therapy Desktop — AI voice companion")
        self.resize(760, 720)
        self.setStyleSheet(STYLE_SHEET)

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
            self.mode_picker.addItem(MODE_TITLES[m], str(m))
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(str(mode)))
        self.mode_picker.setAccessibleName("Connection")
        self.mode_picker.currentIndexChanged.connect(lambda _: self.mode_chosen.emit(self.mode_picker.currentData()))
        self.start_button = QPushButton("Start session")
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start_or_end)
        self.retry_button = QPushButton("Try again")
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAccessibleName("Try to reconnect")
        self.retry_button.clicked.connect(controller.retry)
        self.retry_button.hide()

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Session"))
        controls.addWidget(self.therapy_picker)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Connection"))
        controls.addWidget(self.mode_picker)
        controls.addStretch(1)
        controls.addWidget(self.retry_button)
        controls.addWidget(self.start_button)

        self.status = StatusBadge()
        self.meter = LevelMeter()
        mic_label = self.mic_label = QLabel("Mic")
        mic_label.setObjectName("micLabel")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        status_row.addWidget(mic_label)
        status_row.addWidget(self.meter, 0)
        self.meter.setFixedWidth(180)

        self.error_banner = ErrorBanner()
        self.transcript = TranscriptView()
        crisis = QLabel(f"<b>In crisis?</b> {CRISIS_RESOURCES}")
        crisis.setObjectName("crisis")
        crisis.setWordWrap(True)

        root = QWidget()
        layout = QVBoxLayout(root)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(disclosure)
        layout.addLayout(controls)
        layout.addLayout(status_row)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(crisis)
        self.setCentralWidget(root)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)  # the same path as the close button: hang up first
        self.addAction(quit_action)

        controller.state_changed.connect(self._on_state)
        controller.transcript_item_changed.connect(self._on_item)
        controller.transcript_reset.connect(self._on_new_session)
        controller.error_raised.connect(self.error_banner.show_message)
        controller.mic_level_changed.connect(self.meter.set_level)
        controller.mic_paused_changed.connect(self._on_mic_paused)
        controller.tool_ran.connect(self._on_tool)
        controller.session_ended.connect(self._on_ended)
        controller.call_renewed.connect(self._on_call_renewed)
        self._close_requested = False
        self.on_close_requested = None  # set by the app: an async shutdown before the window goes

    # -- actions -------------------------------------------------------------------------------

    def _start_or_end(self) -> None:
        if self.controller.state.is_live:
            self.controller.end()
            return
        self.error_banner.hide()
        therapy = TherapyType(self.therapy_picker.currentData())
        mode = ConnectMode(self.mode_picker.currentData())
        self.controller.start(therapy, mode)

    # -- what the session says -----------------------------------------------------------------

    def _on_state(self, state: SessionState) -> None:
        self.status.show_state(state)
        self.retry_button.setVisible(state is SessionState.DISCONNECTED)
        if state is SessionState.RECONNECTING:
            self.error_banner.hide()
        live = state.is_live
        self.start_button.setText("End session" if live else "Start session")
        self.start_button.setEnabled(state is not SessionState.ENDING)
        self.therapy_picker.setEnabled(not live)
        self.mode_picker.setEnabled(not live)

    def _on_new_session(self) -> None:
        therapy = THERAPY_PROFILES[TherapyType(self.therapy_picker.currentData())].title
        mode = MODE_TITLES[ConnectMode(self.mode_picker.currentData())]
        self.transcript.start_session(f"{therapy} · {mode} · {datetime.now():%H:%M}")

    def _on_mic_paused(self, paused: bool) -> None:
        self.meter.set_paused(paused)
        self.mic_label.setText("Mic paused while the AI companion speaks" if paused else "Mic")

    def _on_item(self, item: TranscriptItem) -> None:
        session = self.controller.session
        order = [i.item_id for i in session.transcript.visible_items()] if session else []
        self.transcript.show_item(item, order)

    def _on_tool(self, result: ToolResult) -> None:
        if isinstance(result.effect, BreathingExercise):
            inhale, hold, exhale, rest = result.effect.phases
            self.transcript.add_notice(
                f"Guided breathing · {result.effect.pattern} ({inhale}-{hold}-{exhale}-{rest} s) · "
                f"{result.effect.cycles} cycle{'s' if result.effect.cycles != 1 else ''} — breathe along with the therapist"
            )
        elif isinstance(result.effect, SessionSummary):
            self.transcript.add_notice("The therapist is wrapping up the session.")
        elif result.error:
            self.transcript.add_notice(f"A therapist tool failed: {result.error}")

    def _on_ended(self, outcome: SessionOutcome) -> None:
        if outcome.summary is not None:
            steps = "".join(f"<li>{s}</li>" for s in outcome.summary.suggested_next_steps)
            self.transcript.add_notice(
                f"<b>Session summary</b><br>{outcome.summary.summary}" + (f"<ul>{steps}</ul>" if steps else "")
            )
        elif outcome.reason is EndReason.ERROR and self.transcript.bubbles():
            self.transcript.add_notice("The session stopped. Your conversation so far is kept above.")

    def _on_call_renewed(self, renewal: CallRenewal) -> None:
        self.transcript.add_notice(CONNECTION_RENEWED.format(time=datetime.now()))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.on_close_requested is not None and not self._close_requested:
            self._close_requested = True
            event.ignore()
            self.on_close_requested()
            return
        super().closeEvent(event)
