"""The main window for everyone: keyboard only, screen readers, a dark desktop, 2× scaling."""

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextBrowser,
    QWidget,
)

from tests.ui.conftest import wait_until
from tests.ui.scripted import make_rig, reply, tool_call, user_turn
from therapy_desktop.session.state import SessionState
from therapy_desktop.ui.friendly_errors import friendly_error
from therapy_desktop.ui.style import dark_palette

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSlider, QPlainTextEdit, QTableWidget, QTextBrowser)
ROOT = Path(__file__).resolve().parents[2]


def _controls(top: QWidget) -> list[QWidget]:
    return [w for w in top.findChildren(QWidget) if isinstance(w, CONTROLS) and not w.isHidden()
            and w.parentWidget() is not None and w.objectName() not in ("qt_scrollarea_vcontainer",)
            and not w.inherits("QScrollBar")]


def _nameless(top: QWidget) -> list[str]:
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in _controls(top) if not w.accessibleName()]


def test_every_control_has_an_accessible_name_on_every_screen(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    window = rig.window
    assert _nameless(window) == []
    assert window.transcript.accessibleName() == "Conversation transcript"

    async def scenario():
        window.start_button.click()
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 10, "connected")
        rig.server.deliver(*tool_call("breathing_exercise", {"pattern": "box", "cycles": 1}))
        rig.server.deliver(*tool_call("grounding_exercise", {}, response="rg", item="fg", call="cg"))
        assert window.pacer.isHidden() is False or window.grounding.isVisible()
        assert _nameless(window) == []
        window.controller.end()
        await wait_until(lambda: window.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())
    assert window.summary_view.isVisible() and _nameless(window) == []
    history = window.open_history()
    qloop.run_until_complete(history.refresh())
    assert _nameless(history) == []
    assert history.chart.accessibleName() == "Mood over time"


def test_labels_are_linked_to_their_drop_downs(qtbot, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    buddies = {label.text(): label.buddy() for label in rig.window.findChildren(QLabel) if label.buddy() is not None}
    assert buddies["&Session"] is rig.window.therapy_picker
    assert buddies["Co&nnection"] is rig.window.mode_picker
    qtbot.keyClick(rig.window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is rig.window.mode_picker


def test_tab_goes_through_the_controls_in_reading_order(qtbot, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w = rig.window
    w.therapy_picker.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    # Retry and Dismiss are hidden, the typing box and Mute are off until a call is up, Hold to talk
    # shows only in push-to-talk: Tab skips them. The listening mode can be chosen before a session.
    assert seen == [w.therapy_picker, w.mode_picker, w.start_button, w.mood_before.slider, w.mood_before.skip,
                    w.mic_controls.mode_picker, w.transcript, w.copy_button, w.therapy_picker]


def test_focus_is_drawn_on_the_transcript_and_strongly_on_buttons(qtbot, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w = rig.window

    def looks(widget: QWidget) -> QImage:
        QApplication.processEvents()
        return widget.grab().toImage()

    for widget in (w.start_button, w.transcript, w.copy_button, w.mic_controls.mode_picker):
        w.therapy_picker.setFocus()
        unfocused = looks(widget)
        widget.setFocus()
        assert widget.hasFocus()
        focused = looks(widget)
        changed = sum(unfocused.pixel(x, 1) != focused.pixel(x, 1) for x in range(unfocused.width()))
        assert changed > unfocused.width() * 0.5, f"no visible focus on {widget.objectName() or widget}"


def test_enter_starts_a_session_and_ctrl_return_ends_it(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w = rig.window

    async def scenario():
        w.therapy_picker.setFocus()
        qtbot.keyClick(w.therapy_picker, Qt.Key.Key_Return)
        await wait_until(lambda: w.status.state is SessionState.LISTENING, 10, "Enter started it")
        assert w.start_button.text() == "End session" and w.start_action.text() == "End session"
        qtbot.keyClick(w.transcript, Qt.Key.Key_Return)  # Enter never ends a live session
        assert w.status.state is SessionState.LISTENING
        qtbot.keyClick(w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "Ctrl+Return ended it")
        w.summary_view.save_button.setFocus()
        qtbot.keyClick(w.summary_view.save_button, Qt.Key.Key_Return)  # Enter in the summary starts nothing
        assert len(rig.sessions) == 1

    qloop.run_until_complete(scenario())


def test_ctrl_h_opens_the_history(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    qtbot.keyClick(rig.window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = rig.window.history_window
    assert history is not None and history.isVisible()
    qloop.run_until_complete(history.refresh())
    qtbot.keyClick(history, Qt.Key.Key_Escape)
    assert not history.isVisible()


def test_typed_text_goes_to_the_ai_companion_and_shows_as_the_persons_bubble(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w = rig.window
    assert not w.text_input.isEnabled()

    async def scenario():
        w.start_button.click()
        await wait_until(lambda: w.status.state is SessionState.LISTENING, 10, "connected")
        assert w.text_input.isEnabled()
        w.text_input.line.setFocus()
        qtbot.keyClicks(w.text_input.line, "I can't talk right now")
        qtbot.keyClick(w.text_input.line, Qt.Key.Key_Return)
        creates = [e for e in rig.server.sent if e["type"] == "conversation.item.create" and e["item"]["role"] == "user"]
        assert creates[-1]["item"]["content"] == [{"type": "input_text", "text": "I can't talk right now"}]
        assert rig.server.sent[-1]["type"] == "response.create"
        assert w.text_input.line.text() == "" and len(rig.sessions) == 1  # Enter sent it, started nothing
        item = {"id": "typed1", "type": "message", "role": "user", "status": "completed",
                "content": [{"type": "input_text", "text": "I can't talk right now"}]}
        rig.server.deliver({"type": "conversation.item.added", "event_id": "x", "previous_item_id": None, "item": item},
                           {"type": "conversation.item.done", "event_id": "y", "previous_item_id": None, "item": item})
        reply(rig.server, "a1", "r1", "typed1", ("That's fine, we can type.",))
        bubbles = w.transcript.bubbles()
        assert [(b.role, b.text) for b in bubbles] == [("user", "I can't talk right now"),
                                                        ("assistant", "That's fine, we can type.")]
        assert bubbles[0].accessibleName() == "You said: I can't talk right now"
        assert w.transcript.accessibleDescription() == "AI companion said: That's fine, we can type."  # announced
        w.controller.end()
        await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")
        assert not w.text_input.isEnabled()

    qloop.run_until_complete(scenario())


def test_the_whole_transcript_copies_as_text(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w = rig.window

    async def scenario():
        w.start_button.click()
        await wait_until(lambda: w.status.state is SessionState.LISTENING, 10, "connected")
        rig.server.deliver(*user_turn())
        rig.server.deliver({"type": "conversation.item.input_audio_transcription.completed", "event_id": "t",
                            "item_id": "u1", "content_index": 0, "transcript": "I slept badly.",
                            "usage": {"type": "duration", "seconds": 1}})
        reply(rig.server, "a1", "r1", "u1", ("What kept you awake?",))
        w.controller.end()
        await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())
    QGuiApplication.clipboard().clear()
    w.transcript.setFocus()
    qtbot.keyClick(w.transcript, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w.transcript, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert "You: I slept badly.\n\nAI companion: What kept you awake?" in copied
    assert copied.splitlines()[0].startswith("General support · Demo (offline) · ")  # the session's header
    QGuiApplication.clipboard().clear()
    w.copy_button.click()
    assert QGuiApplication.clipboard().text() == copied


def test_a_dark_palette_reaches_every_widget(qtbot, qloop, tmp_path):
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        rig = make_rig(qtbot, tmp_path)
        w = rig.window

        async def scenario():
            w.start_button.click()
            await wait_until(lambda: w.status.state is SessionState.LISTENING, 10, "connected")
            rig.server.deliver(*tool_call("breathing_exercise", {"pattern": "box", "cycles": 1}))
            rig.server.deliver(*tool_call("end_session_summary", {"summary": "ok", "key_topics": ["a"]},
                                          response="rs", item="fs", call="cs"))
            reply(rig.server, "a9", "r9", "fs", ("Bye.",))
            await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")

        qloop.run_until_complete(scenario())
        w.resize(760, 1100)
        _assert_dark(w)
        history = w.open_history()
        qloop.run_until_complete(history.refresh())
        _assert_dark(history)
    finally:
        app.setPalette(light)


def _assert_dark(top: QWidget) -> None:
    QApplication.processEvents()
    image = top.grab().toImage()
    ratio = image.devicePixelRatio()
    light = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.width() < 4 or widget.height() < 4 or widget.objectName() == "startButton":
            continue  # the accent button is meant to stand out
        if widget.inherits("QScrollBar") or widget.objectName() == "disclosure":
            continue
        rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size()).intersected(top.rect())
        samples = [image.pixelColor(int(x * ratio), int(y * ratio)).lightness()
                   for x in range(rect.left(), rect.right(), max(1, rect.width() // 12))
                   for y in range(rect.top(), rect.bottom(), max(1, rect.height() // 6))]
        if samples and statistics.median(samples) > 120:
            light.append(f"{type(widget).__name__}#{widget.objectName()} median {statistics.median(samples)}")
    assert light == []


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb for a screen of a chosen size")
@pytest.mark.parametrize("screen", ["1366x768", "1920x1080"])
def test_the_window_fits_the_screen_at_2x_scaling(screen):
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, str(ROOT / "tests/ui/probes/window_size_probe.py")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    x, y, width, height = seen["available"]
    assert seen["dpr"] == 2.0
    for frame in ("frame", "history", "after_notices"):
        fx, fy, fwidth, fheight = seen[frame]
        assert x <= fx and y <= fy and fx + fwidth <= x + width and fy + fheight <= y + height, (frame, seen)
    assert seen["content_min_width"] <= seen["page_width"], seen  # no sideways scrolling


def test_errors_read_as_what_to_do_with_the_detail_kept():
    no_mic = friendly_error("Could not open the microphone: Error querying device -1")
    assert no_mic.sentence.startswith("No microphone was found.") and "-1" in no_mic.detail
    local = friendly_error("Starting the session failed: cannot reach 127.0.0.1:8765 (ConnectError). "
                           "Check your internet connection.")
    assert "does not answer" in local.sentence and "internet" not in local.sentence
    remote = friendly_error("Starting the session failed: cannot reach api.openai.com (ConnectError). "
                            "Check your internet connection.")
    assert remote.sentence.startswith("The AI companion could not be reached.")
    assert friendly_error("The keyring could not be unlocked").sentence.startswith("Your saved keys could not be read")
    plain = friendly_error("The daily limit of 50 sessions is reached; it resets at midnight.")
    assert plain.sentence == "The daily limit of 50 sessions is reached; it resets at midnight." and plain.detail is None
    bug = friendly_error("Something went wrong while trying to start the session: KeyError 'x'")
    assert "KeyError" not in bug.sentence and "KeyError" in bug.detail


def test_live_text_reaches_the_accessibility_layer(qtbot):
    from PySide6.QtGui import QAccessible

    from therapy_desktop.ui.announce import announce

    label = QLabel("status")
    qtbot.addWidget(label)
    label.show()
    was_active = QAccessible.isActive()
    QAccessible.setActive(True)  # as when a screen reader runs: the events are really sent
    try:
        announce(label, "Breathe in, 4 seconds")
        interface = QAccessible.queryAccessibleInterface(label)
        assert interface.text(QAccessible.Text.Description) == "Breathe in, 4 seconds"
    finally:
        QAccessible.setActive(was_active)
