"""The microphone controls in the real window over a real session on the FakeConnection seam:
the test plays the server and reads what the session sends; the person uses the mouse and keys."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QColor, QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_until
from tests.ui.scripted import make_rig
from therapy_desktop.audio.echo_canceller import EchoCancelledSource
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.session.state import SessionState
from therapy_desktop.settings import Settings, SettingsStore


# Everything a test does with a live session happens inside one coroutine on the qasync loop, as
# in the app: Qt events processed outside it would run the session's callbacks with no loop.


async def _start(rig) -> None:
    rig.window.start_button.click()
    await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")


def _sent_after(rig, mark: int) -> list[str]:
    return [e["type"] for e in rig.server.sent[mark:]]


def _mode_update(event: dict) -> dict | None:
    if event["type"] != "session.update":
        return None
    return event["session"].get("audio", {}).get("input")


def test_mute_by_button_and_ctrl_m_silences_the_uplink_visibly(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w, mic = rig.window, rig.window.mic_controls
    assert not mic.mute_button.isEnabled()  # nothing to mute before a call
    qloop.run_until_complete(_mute_scenario(qtbot, rig, w, mic))
    assert not rig.sessions[-1].audio.muted and not mic.mute_button.isChecked()  # each session starts unmuted


async def _mute_scenario(qtbot, rig, w, mic) -> None:
    await _start(rig)
    session = rig.sessions[-1]
    assert mic.mute_button.isEnabled() and not session.audio.muted

    qtbot.mouseClick(mic.mute_button, Qt.MouseButton.LeftButton)
    assert session.audio.muted and session.audio.uplink_muted()
    assert mic.mute_button.isChecked() and mic.state_label.text() == "Muted — the AI companion hears nothing"
    assert mic.mute_button.accessibleDescription() == "Microphone muted. The AI companion hears nothing."
    interface = QAccessible.queryAccessibleInterface(mic.mute_button)
    assert interface.state().checked  # a screen reader says "pressed"
    await wait_until(lambda: w.mic_label.text() == "Mic muted", 3, "the label follows the uplink")

    w.text_input.line.setFocus()  # Ctrl+M works from the typing box too
    qtbot.keyClick(w.text_input.line, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not session.audio.muted and not mic.mute_button.isChecked() and mic.state_label.isHidden()
    assert mic.mute_button.accessibleDescription() == "Microphone on."
    await wait_until(lambda: w.mic_label.text() == "Mic", 3, "the label says the mic is on")
    qtbot.keyClick(w.transcript, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert session.audio.muted

    w.controller.end()
    await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")
    assert not mic.mute_button.isEnabled()
    w.summary_view.skip()
    w.start_button.click()
    await wait_until(lambda: w.status.state is SessionState.LISTENING and len(rig.sessions) == 2, 10, "again")


def test_switching_to_push_to_talk_mid_session_tells_the_service_and_shows_the_talk_button(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    mic = rig.window.mic_controls
    chosen = []
    mic.mode_chosen.connect(chosen.append)
    assert mic.talk_button.isHidden()
    qloop.run_until_complete(_start(rig))
    session = rig.sessions[-1]
    mark = len(rig.server.sent)  # nothing below runs Qt's event loop: no coroutine needed
    mic.mode_picker.setCurrentIndex(mic.mode_picker.findData("push_to_talk"))
    assert chosen == [AudioMode.PUSH_TO_TALK] and session.audio.mode is AudioMode.PUSH_TO_TALK
    updates = [_mode_update(e) for e in rig.server.sent[mark:] if _mode_update(e) is not None]
    assert updates and updates[-1]["turn_detection"] is None  # the app commits the turns now
    assert mic.talk_button.isVisible() and mic.state_label.text() == "Hold Space or the button while you speak"
    assert mic.mode_picker.accessibleDescription() == "Listening mode: Push to talk."
    assert session.audio.uplink_muted()  # closed until held

    mic.mode_picker.setCurrentIndex(mic.mode_picker.findData("headphones"))
    assert chosen[-1] is AudioMode.HEADPHONES and session.audio.mode is AudioMode.HEADPHONES
    turn = [_mode_update(e) for e in rig.server.sent if _mode_update(e) is not None][-1]["turn_detection"]
    assert turn["type"] == "server_vad" and turn["interrupt_response"] is False  # the app decides barge-in
    assert mic.talk_button.isHidden() and not session.audio.uplink_muted()

    mic.set_mode(AudioMode.SPEAKERS)  # the app showing the saved setting: applied, not "chosen"
    assert session.audio.mode is AudioMode.SPEAKERS and chosen[-1] is AudioMode.HEADPHONES


class _CancellerThatHearsTheSpeaker:
    """Stands in for the echo canceller (audio/echo_canceller.py) of a laptop whose microphone hears
    its speakers: headphones mode is watching it, and it has heard enough."""

    hears_speaker = True
    double_talk = SimpleNamespace(correlation=0.95)
    reference_rms = 0.0
    reference_seconds = 0.0
    person_over_echo = False

    def switched(self, *, forget_echo_path: bool) -> None:
        pass

    def observe(self, pcm, captured: float) -> None:
        pass

    def process(self, pcm, captured: float):
        return pcm


def _hearing_the_speaker(session) -> None:
    canceller = _CancellerThatHearsTheSpeaker()
    session.audio.canceller = canceller
    session.audio.source = EchoCancelledSource(session.audio.source, canceller)
    session.audio.set_mode(session.audio.mode)  # watching starts, as over a real device


def _background(banner) -> QColor:
    return banner.grab().toImage().pixelColor(banner.width() // 2, 3)


def test_a_switch_the_session_made_itself_is_shown_calmly_and_lasts_that_session_only(qtbot, qloop, tmp_path):
    """Headphones chosen, the microphone hears the speaker: the session switches to speakers
    (session_audio). The window shows the mode and the reason, as a notice (its own words and
    colours, not an error's); the person's choice is not overwritten, and the next session starts from it."""
    from therapy_desktop.audio import texts as audio_texts
    from therapy_desktop.ui import texts as ui_texts

    rig = make_rig(qtbot, tmp_path)
    w, mic = rig.window, rig.window.mic_controls
    chosen = []
    mic.mode_chosen.connect(chosen.append)
    mic.set_mode(AudioMode.HEADPHONES)
    colours = {}

    async def scenario() -> None:
        await _start(rig)
        session = rig.sessions[-1]
        _hearing_the_speaker(session)
        mark = len(rig.server.sent)
        session.audio._check_speaker_in_microphone()  # what its device watch does every 250 ms
        assert session.audio.mode is AudioMode.SPEAKERS and session.audio.echo_cancelled
        assert _mode_update(rig.server.sent[-1])["noise_reduction"] == {"type": "far_field"}, rig.server.sent[mark:]
        assert mic.mode is AudioMode.SPEAKERS and mic.chosen_mode is AudioMode.HEADPHONES and chosen == []
        banner = w.error_banner
        assert banner.isVisible() and banner.kind == "notice" and banner.title.isVisible()
        assert banner.label.text() == audio_texts.SPEAKER_IN_MICROPHONE and banner.detail.isHidden()
        assert banner.accessibleName() == ui_texts.NOTICE_SPOKEN.format(sentence=audio_texts.SPEAKER_IN_MICROPHONE)
        colours["notice"] = _background(banner)
        w.controller.end()
        await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")
        assert mic.mode is AudioMode.HEADPHONES  # between sessions, what the next one will use
        w.summary_view.skip()
        w.start_button.click()
        await wait_until(lambda: w.status.state is SessionState.LISTENING and len(rig.sessions) == 2, 10, "again")
        assert mic.mode is AudioMode.HEADPHONES and rig.sessions[-1].audio.mode is AudioMode.HEADPHONES
        w.controller.error_raised.emit("The connection failed.")  # an error after a notice looks like one
        assert banner.kind == "error" and banner.title.isHidden()
        colours["error"] = _background(banner)
        w.controller.end()
        await wait_until(lambda: w.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())
    assert colours["notice"] != colours["error"], colours
    assert colours["error"].red() > colours["error"].blue()  # the error's red; the notice is the info blue
    assert colours["notice"].blue() > colours["notice"].red()


def test_saving_the_settings_unchanged_keeps_a_switch_the_session_made(qtbot, qloop, app_folders):
    """Settings → OK for any other reason must not put back the mode the session switched away from."""
    SettingsStore().save(Settings(audio_mode=AudioMode.HEADPHONES))
    window = _window_with_settings(qtbot)
    window.mic_controls.show_mode(AudioMode.SPEAKERS)  # as the session's own switch shows it
    dialog = window.open_settings()
    dialog.save()
    assert window.mic_controls.mode is AudioMode.SPEAKERS
    dialog = window.open_settings()
    dialog.audio.mode_buttons[AudioMode.PUSH_TO_TALK].click()  # a change made there still applies
    dialog.save()
    assert window.mic_controls.mode is AudioMode.PUSH_TO_TALK


def test_holding_the_button_opens_the_uplink_and_letting_go_commits_the_turn(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    mic = rig.window.mic_controls
    mic.set_mode(AudioMode.PUSH_TO_TALK)

    async def scenario():
        await _start(rig)
        session = rig.sessions[-1]
        assert session.audio.mode is AudioMode.PUSH_TO_TALK  # the new session took the mode shown
        mark = len(rig.server.sent)
        qtbot.mousePress(mic.talk_button, Qt.MouseButton.LeftButton)
        assert session.audio.talk_pressed and not session.audio.uplink_muted()
        assert mic.talk_button.text() == "Talking… let go to send"
        assert _sent_after(rig, mark) == ["input_audio_buffer.clear"]
        qtbot.mouseRelease(mic.talk_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: "response.create" in _sent_after(rig, mark), 3, "committed")
        assert _sent_after(rig, mark) == ["input_audio_buffer.clear", "input_audio_buffer.commit", "response.create"]
        assert session.audio.uplink_muted() and mic.talk_button.text() == "Hold to talk"

        # The keyboard on the button: Space held down is the same hold.
        mark = len(rig.server.sent)
        mic.talk_button.setFocus()
        qtbot.keyPress(mic.talk_button, Qt.Key.Key_Space)
        assert session.audio.talk_pressed
        qtbot.keyRelease(mic.talk_button, Qt.Key.Key_Space)
        await wait_until(lambda: "response.create" in _sent_after(rig, mark), 3, "committed by key")
        assert _sent_after(rig, mark) == ["input_audio_buffer.clear", "input_audio_buffer.commit", "response.create"]

    qloop.run_until_complete(scenario())


def test_space_is_the_talk_key_except_where_space_already_means_something(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w, mic = rig.window, rig.window.mic_controls
    qloop.run_until_complete(_space_scenario(qtbot, rig, w, mic))


async def _space_scenario(qtbot, rig, w, mic) -> None:
    await _start(rig)
    session = rig.sessions[-1]
    w.transcript.setFocus()
    qtbot.keyPress(w.transcript, Qt.Key.Key_Space)  # not push-to-talk yet: Space is just Space
    qtbot.keyRelease(w.transcript, Qt.Key.Key_Space)
    assert not session.audio.talk_pressed and "input_audio_buffer.commit" not in rig.server.sent_types()

    mic.mode_picker.setCurrentIndex(mic.mode_picker.findData("push_to_talk"))
    w.transcript.setFocus()
    mark = len(rig.server.sent)
    qtbot.keyPress(w.transcript, Qt.Key.Key_Space)
    for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):  # a held key repeats: still one press
        QApplication.sendEvent(w.transcript, QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True))
    assert session.audio.talk_pressed and mic.state_label.text() == "Listening to you — let go to send"
    qtbot.keyRelease(w.transcript, Qt.Key.Key_Space)
    await wait_until(lambda: "response.create" in _sent_after(rig, mark), 3, "committed")
    assert _sent_after(rig, mark) == ["input_audio_buffer.clear", "input_audio_buffer.commit", "response.create"]

    # Typing: a space is a space.
    w.text_input.line.setFocus()
    qtbot.keyClicks(w.text_input.line, "a b")
    assert w.text_input.line.text() == "a b" and not session.audio.talk_pressed
    # A focused button keeps Space for itself (Copy transcript is pressed, nothing is sent).
    mark, clicks = len(rig.server.sent), []
    w.copy_button.clicked.connect(lambda: clicks.append(True))
    w.copy_button.setFocus()
    qtbot.keyClick(w.copy_button, Qt.Key.Key_Space)
    assert _sent_after(rig, mark) == [] and clicks == [True] and not session.audio.talk_pressed

    # Space held, then the window loses the key (another window takes focus): it lets go.
    w.transcript.setFocus()
    qtbot.keyPress(w.transcript, Qt.Key.Key_Space)
    assert session.audio.talk_pressed
    mic.eventFilter(w, QEvent(QEvent.Type.WindowDeactivate))
    await wait_until(lambda: not session.audio.talk_pressed, 3, "released on deactivation")


@pytest.mark.parametrize("dark", [False, True])
def test_the_controls_have_names_focus_rings_and_follow_the_palette(qtbot, qloop, tmp_path, dark):
    from therapy_desktop.ui.style import dark_palette

    app = QApplication.instance()
    light = app.palette()
    if dark:
        app.setPalette(dark_palette())
    try:
        rig = make_rig(qtbot, tmp_path)
        mic = rig.window.mic_controls
        mic.set_mode(AudioMode.PUSH_TO_TALK)
        qloop.run_until_complete(_look_scenario(qtbot, rig, mic, dark))
    finally:
        app.setPalette(light)


async def _look_scenario(qtbot, rig, mic, dark: bool) -> None:
    from tests.ui.test_window_for_everyone import _assert_dark

    await _start(rig)
    for widget in mic.focus_chain():
        assert widget.accessibleName(), widget
        assert widget.isEnabled() and widget.isVisible()
    for widget in (mic.mute_button, mic.talk_button):
        rig.window.therapy_picker.setFocus()
        QApplication.processEvents()
        before = widget.grab().toImage()
        widget.setFocus()
        QApplication.processEvents()
        after = widget.grab().toImage()
        changed = sum(before.pixel(x, 1) != after.pixel(x, 1) for x in range(before.width()))
        assert changed > before.width() * 0.5, f"no visible focus on {widget.objectName()}"
    qtbot.mouseClick(mic.mute_button, Qt.MouseButton.LeftButton)  # the checked look, too
    if dark:
        _assert_dark(rig.window)


def test_tab_reaches_the_controls_after_end_and_before_the_transcript(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    w, mic = rig.window, rig.window.mic_controls
    mic.set_mode(AudioMode.PUSH_TO_TALK)

    async def scenario():
        await _start(rig)
        w.start_button.setFocus()
        seen = [QApplication.focusWidget()]
        for _ in range(4):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            seen.append(QApplication.focusWidget())
        assert seen == [w.start_button, mic.mode_picker, mic.mute_button, mic.talk_button, w.transcript]
        qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # the label's mnemonic
        assert QApplication.focusWidget() is mic.mode_picker

    qloop.run_until_complete(scenario())


def _window_with_settings(qtbot):
    from therapy_desktop.realtime.connect_mode import ConnectMode
    from therapy_desktop.realtime.secrets import KeyringSecretStore
    from therapy_desktop.therapy import TherapyType
    from therapy_desktop.ui.main_window import MainWindow
    from therapy_desktop.ui.session_controller import SessionController
    from therapy_desktop.ui.settings_dialog import SettingsTools

    async def no_test(settings, key):
        return "ok"

    async def no_session(request):
        raise AssertionError("no session in this test")

    tools = SettingsTools(SettingsStore(), KeyringSecretStore(timeout=2), no_test, push_to_talk=True)
    window = MainWindow(SessionController(no_session), mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL,
                        settings_tools=tools)
    qtbot.addWidget(window)
    return window


def test_the_saved_listening_mode_is_shown_and_a_change_is_kept_for_next_time(qtbot, qloop, app_folders):
    SettingsStore().save(Settings(audio_mode=AudioMode.HEADPHONES))
    window = _window_with_settings(qtbot)
    picker = window.mic_controls.mode_picker
    assert window.mic_controls.mode is AudioMode.HEADPHONES
    picker.setCurrentIndex(picker.findData(AudioMode.SPEAKERS.value))  # as the person picks it
    assert SettingsStore().load().audio_mode is AudioMode.SPEAKERS
    assert _window_with_settings(qtbot).mic_controls.mode is AudioMode.SPEAKERS  # the next start shows it


def test_a_mode_saved_in_the_settings_dialog_reaches_the_window(qtbot, qloop, app_folders):
    window = _window_with_settings(qtbot)
    dialog = window.open_settings()
    dialog.audio.mode_buttons[AudioMode.PUSH_TO_TALK].click()
    dialog.save()
    assert SettingsStore().load().audio_mode is AudioMode.PUSH_TO_TALK
    assert window.mic_controls.mode is AudioMode.PUSH_TO_TALK
    assert not window.mic_controls.talk_button.isHidden()  # its Hold to talk control is there
