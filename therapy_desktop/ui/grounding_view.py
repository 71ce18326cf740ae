"""The 5-4-3-2-1 grounding steps on screen, the current one marked. The AI companion's first
message after the tool introduces step one; each later message of its moves on a step, and
the person can move on themselves."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from therapy_desktop.therapy import GroundingExercise
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce


class GroundingView(QFrame):
    finished = Signal(int, int, bool)  # steps done, steps in all, stopped by the person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setAccessibleName(texts.GROUNDING_NAME)
        title = QLabel(texts.GROUNDING_TITLE)
        title.setObjectName("panelTitle")
        intro = QLabel(texts.GROUNDING_INTRO)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.current_label = QLabel()
        self.next_button = QPushButton(texts.GROUNDING_NEXT)
        self.next_button.setAccessibleName(texts.GROUNDING_NEXT_NAME)
        self.next_button.clicked.connect(self.advance)
        self.stop_button = QPushButton(texts.GROUNDING_CLOSE)
        self.stop_button.setAccessibleName(texts.GROUNDING_CLOSE_NAME)
        self.stop_button.clicked.connect(self.stop)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.next_button)
        top.addWidget(self.stop_button)
        self._steps_box = QVBoxLayout()
        self._steps_box.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addLayout(self._steps_box)
        layout.addWidget(self.current_label)
        self.step_labels: list[QLabel] = []
        self.exercise: GroundingExercise | None = None
        self.current = 0  # index of the current step; len(steps) once all are done
        self.active = False
        self._messages_seen: set[str] = set()
        self.hide()

    def begin(self, exercise: GroundingExercise) -> None:
        self.exercise, self.current, self.active = exercise, 0, True
        self._messages_seen = set()
        for label in self.step_labels:
            self._steps_box.removeWidget(label)
            label.deleteLater()
        self.step_labels = []
        for step in exercise.steps:
            label = QLabel(step.prompt)
            label.setObjectName("groundingStep")
            self._steps_box.addWidget(label)
            self.step_labels.append(label)
        self.next_button.setEnabled(True)
        self.stop_button.setEnabled(True)
        self._refresh()
        self.show()

    def ai_message(self, item_id: str) -> None:
        """A new message from the AI companion: the first introduces step one, each later one
        moves on (it is walking through the steps)."""
        if not self.active or item_id in self._messages_seen:
            return
        self._messages_seen.add(item_id)
        if len(self._messages_seen) > 1:
            self.advance()

    def advance(self) -> None:
        if not self.active or self.exercise is None:
            return
        self.current += 1
        if self.current >= len(self.exercise.steps):
            self._finish(stopped=False)
            return
        self._refresh()

    def stop(self) -> None:
        if self.active:
            self._finish(stopped=True)

    def _refresh(self) -> None:
        assert self.exercise is not None
        total = len(self.exercise.steps)
        for i, (label, step) in enumerate(zip(self.step_labels, self.exercise.steps, strict=True)):
            done, current = i < self.current, i == self.current
            label.setProperty("current", "true" if current else "false")
            label.setProperty("done", "true" if done else "false")
            label.setText(("✓ " if done else "▶ " if current else "   ") + step.prompt)
            state = texts.GROUNDING_STATE_DONE if done else texts.GROUNDING_STATE_CURRENT if current else ""
            label.setAccessibleName(texts.GROUNDING_STEP_NAME.format(number=i + 1, total=total, prompt=step.prompt, state=state))
            label.style().unpolish(label)  # the property changed: restyle
            label.style().polish(label)
        if self.current < total:
            prompt = self.exercise.steps[self.current].prompt
            self.current_label.setText(texts.GROUNDING_CURRENT.format(prompt=prompt))
            last = self.current == total - 1
            self.next_button.setText(texts.GROUNDING_FINISH if last else texts.GROUNDING_NEXT)
            self.next_button.setAccessibleName(texts.GROUNDING_FINISH_NAME if last else texts.GROUNDING_NEXT_NAME)
            announce(self.current_label, self.current_label.text())

    def _finish(self, *, stopped: bool) -> None:
        assert self.exercise is not None
        total = len(self.exercise.steps)
        done = min(self.current, total)
        self.active = False
        self.current = done
        if not stopped:
            self._refresh_all_done()
        text = texts.GROUNDING_STOPPED.format(done=done, total=total) if stopped else texts.GROUNDING_DONE
        self.current_label.setText(text)
        announce(self.current_label, text)
        self.next_button.setEnabled(False)
        self.stop_button.setEnabled(False)
        self.finished.emit(done, total, stopped)

    def _refresh_all_done(self) -> None:
        for label in self.step_labels:
            label.setProperty("current", "false")
            label.setProperty("done", "true")
            label.setText("✓ " + label.text().lstrip("✓▶ "))
            label.style().unpolish(label)
            label.style().polish(label)
