"""The guided-breathing pacer: a circle that grows on the in-breath, holds, shrinks on the
out-breath, with the phase's name and its seconds counted, for the cycles the tool asked for.

Time moves in whole seconds through `tick()`: a QTimer calls it once a second in the window and
tests call it directly (no sleeping). The circle's size glides with a QPropertyAnimation over
each phase; while the window is minimised or hidden the glide stops (the seconds still count,
and the phases are still announced) and, back on screen, glides to the phase's size over what is
left of the phase. The pacer waits, armed, until the AI companion starts speaking its guidance (or a
moment passes with no speech), so the circle and the voice begin together."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Property, QEasingCurve, QPropertyAnimation, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from therapy_desktop.therapy import BreathingExercise
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.style import colour

SMALL, LARGE = 0.35, 1.0  # the circle's size at empty and full lungs, as a share of its room
START_WITHOUT_SPEECH_MS = 2000  # begin anyway when the AI companion says nothing this long
_PHASE_KEYS = ("inhale", "hold", "exhale", "rest")


@dataclass(frozen=True)
class Phase:
    key: str  # inhale | hold | exhale | rest
    seconds: int


def phases_of(exercise: BreathingExercise) -> list[Phase]:
    """One cycle's phases, without the zero-length ones (4-7-8 has no rest)."""
    return [Phase(key, seconds) for key, seconds in zip(_PHASE_KEYS, exercise.phases, strict=True) if seconds > 0]


class PacerCircle(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = SMALL
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)
        self.setAccessibleName(texts.PACER_CIRCLE_NAME)

    def _get_scale(self) -> float:
        return self._scale

    def _set_scale(self, value: float) -> None:
        self._scale = value
        self.update()

    scale = Property(float, _get_scale, _set_scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        centre = self.rect().center()
        full = QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("pacer_ring", self))
        painter.drawEllipse(full)
        inner = side * self._scale
        painter.setBrush(colour("pacer", self))
        painter.drawEllipse(QRectF(centre.x() - inner / 2, centre.y() - inner / 2, inner, inner))
        painter.end()


class BreathingPacer(QFrame):
    finished = Signal(int, int, bool)  # cycles done, cycles asked for, stopped by the person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setAccessibleName(texts.PACER_NAME)
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.circle = PacerCircle()
        self.phase_label = QLabel()
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setObjectName("panelTitle")
        self.cycle_label = QLabel()
        self.cycle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cycle_label.setObjectName("muted")
        self.stop_button = QPushButton(texts.PACER_STOP)
        self.stop_button.setAccessibleName(texts.PACER_STOP_NAME)
        self.stop_button.clicked.connect(self.stop)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.circle)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.cycle_label)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(START_WITHOUT_SPEECH_MS)
        self._fallback.timeout.connect(self.begin)
        self._animation = QPropertyAnimation(self.circle, b"scale", self)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)

        self.exercise: BreathingExercise | None = None
        self.phases: list[Phase] = []
        self.waiting = self.running = False
        self.cycle = 0  # 1-based while running
        self.cycles_done = 0
        self.phase_index = 0
        self.second = 0  # seconds into the current phase, 1-based as shown
        self._target = SMALL
        self.on_screen = True
        self.hide()

    # -- driving it ------------------------------------------------------------------------------

    def arm(self, exercise: BreathingExercise) -> None:
        """Show the exercise and wait for the AI companion's voice (or START_WITHOUT_SPEECH_MS)."""
        self._halt()
        self.exercise, self.phases = exercise, phases_of(exercise)
        self.cycles_done, self.cycle, self.phase_index, self.second = 0, 0, 0, 0
        self.waiting, self.running = True, False
        self.title.setText(texts.PACER_TITLE.format(pattern=exercise.pattern, cycles=exercise.cycles))
        self.circle.scale = self._target = SMALL
        self._say(texts.PACER_WAITING, "")
        self.stop_button.setEnabled(True)
        self.show()
        self._fallback.start()

    def speech_started(self) -> None:
        """The AI companion began speaking: start together with its words."""
        if self.waiting:
            self.begin()

    def begin(self) -> None:
        if not self.waiting or not self.phases:
            return
        self._fallback.stop()
        self.waiting, self.running = False, True
        self.cycle, self.phase_index, self.second = 1, 0, 1
        self._enter_phase()
        self._ticker.start()

    def tick(self) -> None:
        """One second passes."""
        if not self.running:
            return
        phase = self.phases[self.phase_index]
        if self.second < phase.seconds:
            self.second += 1
            self._show_phase()
            return
        self.second = 1
        self.phase_index += 1
        if self.phase_index == len(self.phases):
            self.cycles_done += 1
            self.phase_index = 0
            if self.exercise is not None and self.cycles_done >= self.exercise.cycles:
                return self._finish(stopped=False)
            self.cycle += 1
        self._enter_phase()

    def stop(self) -> None:
        if self.waiting or self.running:
            self._finish(stopped=True)

    def set_on_screen(self, on_screen: bool) -> None:
        """The window is minimised or hidden (False) or back (True)."""
        if on_screen == self.on_screen:
            return
        self.on_screen = on_screen
        if not on_screen:
            self._animation.stop()  # the circle keeps its size; nothing repaints at 60 a second
        elif self.running:
            phase = self.phases[self.phase_index]
            self._glide(max(1, phase.seconds - self.second + 1) * 1000)

    @property
    def animating(self) -> bool:
        return self._animation.state() == QPropertyAnimation.State.Running

    @property
    def phase(self) -> Phase | None:
        return self.phases[self.phase_index] if self.running else None

    # -- inside ----------------------------------------------------------------------------------

    def _enter_phase(self) -> None:
        phase = self.phases[self.phase_index]
        # A hold keeps the size the last breath was heading to (the glide may still be finishing).
        self._target = {"inhale": LARGE, "exhale": SMALL}.get(phase.key, self._target)
        self._animation.stop()
        if self.on_screen:
            self._glide(phase.seconds * 1000)
        self._show_phase(announce_it=True)

    def _glide(self, milliseconds: int) -> None:
        self._animation.stop()
        self._animation.setStartValue(self.circle.scale)
        self._animation.setEndValue(self._target)
        self._animation.setDuration(milliseconds)
        self._animation.start()

    def _show_phase(self, *, announce_it: bool = False) -> None:
        phase = self.phases[self.phase_index]
        name = texts.PHASE_NAMES[phase.key]
        self.phase_label.setText(texts.PACER_PHASE.format(phase=name, second=self.second, seconds=phase.seconds))
        cycles = self.exercise.cycles if self.exercise else 0
        self.cycle_label.setText(texts.PACER_CYCLE.format(cycle=self.cycle, cycles=cycles))
        if announce_it:  # the phase name only: a count every second would drown the voice
            announce(self.phase_label, f"{name}, {phase.seconds} seconds")

    def _finish(self, *, stopped: bool) -> None:
        self._halt()
        self._animation.stop()
        if not stopped:
            self.circle.scale = SMALL
        self._say(texts.PACER_STOPPED if stopped else texts.PACER_DONE, "")
        self.stop_button.setEnabled(False)
        cycles = self.exercise.cycles if self.exercise else 0
        self.finished.emit(self.cycles_done, cycles, stopped)

    def _halt(self) -> None:
        self._ticker.stop()
        self._fallback.stop()
        self.waiting = self.running = False

    def _say(self, phase_text: str, cycle_text: str) -> None:
        self.phase_label.setText(phase_text)
        self.cycle_label.setText(cycle_text)
        announce(self.phase_label, phase_text)
