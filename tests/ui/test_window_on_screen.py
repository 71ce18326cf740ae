"""The window paints and ticks only for what changed, and nothing while minimised or hidden: the
meter, the session timer, the streaming transcript and the pacer's glide. Behaviour only: what
repaints, what runs, what shows when back; no timings are asserted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.transcript import Transcript
from therapy_desktop.therapy import BreathingExercise, TherapyType
from therapy_desktop.ui.level_meter import FALL_PER_SECOND, MIN_REPAINT_S, STEPS, LevelMeter
from therapy_desktop.ui.main_window import MainWindow
from therapy_desktop.ui.session_controller import SessionController


class Paints(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


_PACE = MIN_REPAINT_S * 1.2  # a level just after the repaint pace allows the next repaint


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _meter(qtbot, clock: Clock) -> tuple[LevelMeter, list[None]]:
    meter = LevelMeter(clock=clock)
    qtbot.addWidget(meter)
    updates: list[None] = []
    meter.update = lambda: updates.append(None)  # type: ignore[method-assign] - the meter's own requests
    return meter, updates


def _feed(meter: LevelMeter, clock: Clock, levels: list[float], every: float = 0.02) -> None:
    for level in levels:
        clock.now += every
        meter.set_level(level)


def _window(qtbot) -> MainWindow:
    async def never(request):
        raise AssertionError("these tests feed the window themselves")

    window = MainWindow(SessionController(never), mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# -- the meter ---------------------------------------------------------------------------------

def test_an_unchanged_level_and_noise_within_a_step_repaint_nothing(qtbot):
    clock = Clock()
    meter, updates = _meter(qtbot, clock)
    _feed(meter, clock, [0.5])
    assert len(updates) == 1 and meter.shown_step == 10
    step = 1.0 / STEPS
    _feed(meter, clock, [0.5] * 20 + [0.5 + 0.4 * step, 0.5 - 0.2 * step, 0.5 + 0.3 * step] * 10)
    assert len(updates) == 1  # room noise flickering inside one step: the bar stays as it is
    assert meter.shown_step == 10


def test_a_whole_step_repaints_and_the_bar_rises_to_the_peak(qtbot):
    clock = Clock()
    meter, updates = _meter(qtbot, clock)
    _feed(meter, clock, [0.5, 0.8], every=_PACE)
    assert len(updates) == 2 and meter.shown_step == 16


def test_changes_faster_than_the_repaint_pace_show_with_the_next_level(qtbot):
    clock = Clock()
    meter, updates = _meter(qtbot, clock)
    _feed(meter, clock, [0.3])
    _feed(meter, clock, [0.6], every=MIN_REPAINT_S / 4)  # too soon after the last repaint: held
    assert len(updates) == 1 and meter.shown_step == 6
    _feed(meter, clock, [0.6], every=_PACE)
    assert len(updates) == 2 and meter.shown_step == 12


def test_the_bar_falls_back_with_time_without_a_timer_and_drops_to_empty_on_silence(qtbot):
    clock = Clock()
    meter, updates = _meter(qtbot, clock)
    _feed(meter, clock, [0.9])
    _feed(meter, clock, [0.1], every=0.1)  # a tenth of a second later the peak has fallen a little
    assert abs(meter.level - (0.9 - FALL_PER_SECOND * 0.1)) < 1e-9
    _feed(meter, clock, [0.1] * 50)
    assert meter.level == 0.1 and meter.shown_step == 2
    _feed(meter, clock, [0.0], every=0.0001)  # digital silence or the microphone stopped: at once
    assert meter.level == 0.0 and meter.shown_step == 0
    assert updates  # every change above asked for a repaint
    from PySide6.QtCore import QTimer

    assert meter.findChildren(QTimer) == []  # no animation timer behind the fall


# -- the window minimised or hidden -------------------------------------------------------------

def _listening_window(qtbot) -> tuple[MainWindow, Paints]:
    """A shown window in a listening session, its session timer ticking, the meter's paints counted."""
    window = _window(qtbot)
    window.controller.state_changed.emit(SessionState.LISTENING)
    assert window.timer.ticking
    return window, Paints(window.meter)


def test_a_minimised_window_paints_no_meter_and_ticks_no_timer_and_shows_the_level_when_back(qtbot):
    window, paints = _listening_window(qtbot)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    assert not window.timer.ticking
    for level in (0.2, 0.7, 0.4, 0.9, 0.6):
        window.controller.mic_level_changed.emit(level)
        qtbot.wait(30)
    window.controller.mic_paused_changed.emit(True)
    qtbot.wait(50)
    assert paints.count == 0
    window.showNormal()
    qtbot.waitUntil(lambda: paints.count > 0)
    assert window.meter.shown_step == round(0.6 * STEPS)  # the last level, not the one before hiding
    assert window.meter.paused
    assert window.timer.ticking


def test_a_hidden_window_stops_its_timer_and_starts_it_again_when_shown(qtbot):
    window, paints = _listening_window(qtbot)
    window.hide()
    assert not window.timer.ticking
    window.controller.mic_level_changed.emit(0.8)
    qtbot.wait(50)
    assert paints.count == 0
    window.show()
    qtbot.waitUntil(lambda: paints.count > 0)
    assert window.timer.ticking and window.meter.shown_step == 16
    window.controller.state_changed.emit(SessionState.ENDED)
    assert not window.timer.ticking  # no session: no ticking, shown or not


def test_no_timer_runs_in_a_window_with_no_session(qtbot):
    from PySide6.QtCore import QTimer

    window = _window(qtbot)
    assert [t.parent().objectName() or type(t.parent()).__name__
            for t in window.findChildren(QTimer) if t.isActive()] == []


# -- the transcript ------------------------------------------------------------------------------

def _streaming(window: MainWindow) -> Transcript:
    transcript = Transcript()
    transcript.item_did_change.connect(
        lambda item: window.transcript.show_item(item, [i.item_id for i in transcript.visible_items()]))
    return transcript


def test_streamed_deltas_are_applied_together_and_end_with_the_full_text_in_order(qtbot):
    window = _window(qtbot)
    view = window.transcript
    transcript = _streaming(window)
    applied: list[str] = []
    transcript.note_item("a1", role="assistant")
    bubble = view._bubbles["a1"]
    original = bubble.update_from
    bubble.update_from = lambda item: (applied.append(item.text), original(item))  # type: ignore[method-assign]
    words = ["That", " sounds", " like", " a", " lot", " to", " carry."]
    for word in words:
        transcript.append_text("a1", word)
    assert applied == []  # nothing laid out per word
    qtbot.waitUntil(lambda: bubble.text == "".join(words))
    assert applied == ["".join(words)]  # one relayout for the burst, with every word in order


def test_a_minimised_window_holds_the_streaming_text_announces_a_complete_message_and_shows_all_when_back(qtbot):
    window = _window(qtbot)
    view = window.transcript
    transcript = _streaming(window)
    transcript.note_item("u1", role="user")
    transcript.set_text("u1", "I can't sleep.")
    transcript.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    qtbot.waitUntil(lambda: view._bubbles["u1"].text == "I can't sleep.")
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    for word in ("Tell", " me", " more"):
        transcript.append_text("a1", word)
    qtbot.wait(200)  # longer than the on-screen refresh: off screen nothing is laid out
    assert view._bubbles["a1"].text == "…"
    transcript.set_text("a1", "Tell me more.")
    # A complete message reaches a screen reader at once, minimised or not.
    assert view.accessibleDescription() == "AI companion said: Tell me more."
    transcript.note_item("u2", role="user", previous_item_id="a1", position_known=True)
    transcript.append_text("u2", "It started")
    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert [b.text for b in view._order if hasattr(b, "item_id")] == ["I can't sleep.", "Tell me more.", "It started"]


# -- the pacer ----------------------------------------------------------------------------------

def test_the_pacer_stops_gliding_while_minimised_keeps_counting_and_glides_on_when_back(qtbot):
    window = _window(qtbot)
    pacer = window.pacer
    pacer.arm(BreathingExercise(pattern="4-4", phases=(4, 0, 4, 0), cycles=2))
    pacer.begin()
    assert pacer.animating
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    assert not pacer.animating
    for _ in range(4):  # into the out-breath while nobody watches
        pacer.tick()
    assert pacer.phase is not None and pacer.phase.key == "exhale" and pacer.second == 1
    assert not pacer.animating
    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert pacer.animating  # gliding to the out-breath's size over what is left of it


# -- words that change often ----------------------------------------------------------------------

class LayoutRequests(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_the_state_and_the_ticking_time_change_without_laying_out_the_page_and_are_never_cut_off(qtbot):
    window = _window(qtbot)
    qtbot.wait(50)  # the first layout after showing
    requests = LayoutRequests(window.page.widget())
    elapsed = [0.0]
    window._timer_reading = lambda: (elapsed[0], 30.0)  # type: ignore[method-assign]
    window.timer._read = window._timer_reading
    badge, timer = window.status, window.timer
    size = badge.size()
    for state in SessionState:
        badge.show_state(state)
        assert badge.sizeHint().width() <= badge.width() and badge.sizeHint().height() <= badge.height()
    for seconds in (0.0, 9.0, 71.0, 599.0, 1799.0):
        elapsed[0] = seconds
        timer.refresh()
        assert timer.sizeHint().width() <= timer.width()
    qtbot.wait(50)
    assert requests.count == 0  # each change repainted the label alone
    assert badge.size() == size
    assert timer.text() == "29:59 / 30:00"
