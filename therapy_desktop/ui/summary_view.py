"""After a session: the AI companion's summary (topics, what helped, suggested next steps the
person can edit) and their mood now; Save keeps both. A session ended with End has no summary:
the view then only asks for the mood. Either way the controller hears the mood exactly once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from therapy_desktop.storage import SummaryRecord
from therapy_desktop.therapy import SessionSummary
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.mood_picker import MoodPicker


def _bullets(values: tuple[str, ...]) -> str:
    return "\n".join(f"• {v}" for v in values) if values else texts.SUMMARY_NONE


class SummaryView(QFrame):
    saved = Signal(object, object)  # SummaryRecord | None, mood after (int | None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setAccessibleName(texts.SUMMARY_TITLE)
        self.title = QLabel(texts.SUMMARY_TITLE)
        self.title.setObjectName("panelTitle")
        self.summary_text = self._label()
        self.topics = self._label()
        self.helped = self._label()
        self.observation = self._label()
        self.topics_heading = self._heading(texts.SUMMARY_TOPICS, self.topics)
        self.helped_heading = self._heading(texts.SUMMARY_HELPED, self.helped)
        self.observation_heading = self._heading(texts.SUMMARY_MOOD_OBSERVATION, self.observation)
        self.steps = QPlainTextEdit()
        self.steps.setAccessibleName(texts.SUMMARY_STEPS_NAME)
        self.steps.setTabChangesFocus(True)  # Tab leaves the box: keyboard users are not trapped
        self.steps.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.steps_heading = QLabel(texts.SUMMARY_STEPS)
        self.steps_heading.setBuddy(self.steps)
        self.mood = MoodPicker(texts.MOOD_AFTER)
        self.save_button = QPushButton(texts.SUMMARY_SAVE)
        self.save_button.setObjectName("startButton")
        self.save_button.setAccessibleName(texts.SUMMARY_SAVE_NAME)
        self.save_button.clicked.connect(self.save)
        self.skip_button = QPushButton(texts.SUMMARY_SKIP)
        self.skip_button.setAccessibleName(texts.SUMMARY_SKIP_NAME)
        self.skip_button.clicked.connect(self.skip)
        self.status = QLabel()
        self.status.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        for widget in (self.title, self.summary_text, self.topics_heading, self.topics, self.helped_heading, self.helped,
                       self.observation_heading, self.observation, self.steps_heading, self.steps, self.mood):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.summary: SessionSummary | None = None
        self._on_save: Callable[[SummaryRecord | None, int | None], None] | None = None
        self._recorded = True
        self.hide()

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    @staticmethod
    def _heading(text: str, body: QLabel) -> QLabel:
        heading = QLabel(f"<b>{text}</b>")
        body.setAccessibleName(text)
        return heading

    def present(self, summary: SessionSummary | None,
                on_save: Callable[[SummaryRecord | None, int | None], None], *, recorded: bool = True) -> None:
        """Show `summary` (None: the session ended without one, ask only for the mood);
        `recorded`: a history takes it (else it is kept for this run only, and the view says so)."""
        self.summary, self._on_save, self._recorded = summary, on_save, recorded
        has = summary is not None
        self.title.setText(texts.SUMMARY_TITLE if has else texts.SUMMARY_NO_SUMMARY)
        for widget in (self.summary_text, self.topics_heading, self.topics, self.helped_heading, self.helped,
                       self.observation_heading, self.observation, self.steps_heading, self.steps):
            widget.setVisible(has)
        if summary is not None:
            self.summary_text.setText(summary.summary or texts.SUMMARY_NONE)
            self.topics.setText(_bullets(summary.key_topics))
            self.helped.setText(_bullets(summary.what_helped))
            self.observation.setText(summary.mood_observation or texts.SUMMARY_NONE)
            self.observation_heading.setVisible(bool(summary.mood_observation))
            self.observation.setVisible(bool(summary.mood_observation))
            self.steps.setPlainText("\n".join(summary.suggested_next_steps))
        self.mood.reset()
        self.status.clear()
        self.save_button.setEnabled(True)
        self.skip_button.setEnabled(True)
        self.show()
        announce(self.title, self.title.text())

    def edited_summary(self) -> SummaryRecord | None:
        if self.summary is None:
            return None
        steps = tuple(line.strip(" •\t") for line in self.steps.toPlainText().splitlines() if line.strip(" •\t"))
        s = self.summary
        return SummaryRecord(summary=s.summary, key_topics=s.key_topics, what_helped=s.what_helped,
                             suggested_next_steps=steps, mood_observation=s.mood_observation)

    def save(self) -> None:
        self._done(self.edited_summary(), self.mood.value())

    def skip(self) -> None:
        self._done(None, None)

    def _done(self, summary: SummaryRecord | None, mood: int | None) -> None:
        on_save, self._on_save = self._on_save, None
        if on_save is None:  # saved already: the mood goes once
            return
        on_save(summary, mood)
        self.save_button.setEnabled(False)
        self.skip_button.setEnabled(False)
        if summary is None and mood is None:
            self.hide()
        else:
            said = texts.SUMMARY_SAVED if self._recorded else texts.SUMMARY_NOT_RECORDED
            self.status.setText(said)
            announce(self.status, said)
        self.saved.emit(summary, mood)

    @property
    def pending(self) -> bool:
        """Shown and not yet saved or skipped."""
        return self._on_save is not None
