"""The window driven like a person would: pick, Start, listen, read, End."""

import asyncio

import pytest
from PySide6.QtCore import Qt

from tests.conftest import conversation_wav, wav_endpoints
from tests.ui.conftest import wait_until
from therapy_desktop.demo import DemoEngineHost
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.providers import key_provider
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType
from therapy_desktop.ui.main_window import MainWindow
from therapy_desktop.ui.session_controller import SessionController, StartedSession
from therapy_desktop.ui.transcript_view import Bubble


def session_factory(build):
    """The controller's async factory around a plain (therapy, mode) -> TherapySession builder."""

    async def make(request):
        return StartedSession(build(request.therapy, request.mode))

    return make


def _window(qtbot, make_session, mode=ConnectMode.DEMO):
    window = MainWindow(SessionController(session_factory(make_session)), mode=mode, therapy=TherapyType.GENERAL)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.slow
def test_a_demo_session_through_the_window(qtbot, qloop, utterance_wavs, tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 6.0)])
    demo = DemoEngineHost()
    made = []

    def make_session(therapy, mode):
        made.append((therapy, mode))
        return TherapySession(therapy, key_provider(mode, demo.endpoint), wav_endpoints(mic, tmp_path / "out.wav"))

    window = _window(qtbot, make_session)
    window.therapy_picker.setCurrentIndex(window.therapy_picker.findData("stress"))
    seen_states = []
    window.controller.state_changed.connect(seen_states.append)
    levels = []
    window.controller.mic_level_changed.connect(levels.append)

    async def scenario():
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 20, "connected")
        assert window.start_button.text() == "End session"
        assert not window.therapy_picker.isEnabled()
        await wait_until(lambda: len(window.transcript.bubbles()) >= 3 and window.status.state is SessionState.LISTENING
                         and window.transcript.bubbles()[-1].text.endswith("?"), 60, "the therapist answered")
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.ENDED, 15, "the session ended")
        await demo.stop()

    qloop.run_until_complete(scenario())

    assert made == [(TherapyType.STRESS, ConnectMode.DEMO)]
    bubbles = window.transcript.bubbles()
    assert [b.role for b in bubbles] == ["assistant", "user", "assistant"]  # the greeting first
    assert "AI companion" in bubbles[0].text  # it greets and says what it is
    assert "work" in bubbles[1].text.lower()
    assert bubbles[2].text.endswith("?")  # one open question back
    assert bubbles[1].header.text() == "You" and bubbles[2].header.text() == "AI companion"
    for state in ("connecting", "listening", "user_speaking", "thinking", "therapist_speaking", "ended"):
        assert state in seen_states
    assert max(levels) > 0.3  # the meter moved with the speech
    assert window.start_button.text() == "Start session" and window.therapy_picker.isEnabled()
    assert window.error_banner.isHidden()


def test_openai_mode_without_a_key_shows_what_to_do_and_keeps_the_window_usable(qtbot, qloop, tmp_path, utterance_wavs):
    demo = DemoEngineHost()

    def make_session(therapy, mode):
        return TherapySession(therapy, key_provider(mode, demo.endpoint), wav_endpoints(utterance_wavs["hello"], tmp_path / "o.wav"))

    window = _window(qtbot, make_session, mode=ConnectMode.OPENAI)

    async def scenario():
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.ERROR, 10, "the error shows")

    qloop.run_until_complete(scenario())
    assert window.error_banner.isVisible()
    assert "No OpenAI API key" in window.error_banner.label.text()
    assert "OPENAI_API_KEY" in window.error_banner.label.text()
    assert window.start_button.isEnabled() and window.start_button.text() == "Start session"
    assert window.mode_picker.isEnabled()


def test_the_window_always_says_the_therapist_is_an_ai(qtbot):
    window = _window(qtbot, lambda t, m: None)
    from PySide6.QtWidgets import QLabel

    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "not a human and not a licensed therapist" in texts
    assert "988" in texts


def test_bubbles_follow_the_transcript_order_when_a_late_item_arrives(qtbot):
    from therapy_desktop.session.transcript import Transcript

    window = _window(qtbot, lambda t, m: None)
    view = window.transcript
    transcript = Transcript()

    def show(item):
        view.show_item(item, [i.item_id for i in transcript.visible_items()])

    transcript.item_did_change.connect(show)
    transcript.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    transcript.append_text("a1", "Tell me more.")
    transcript.note_item("u1", role="user")
    transcript.set_text("u1", "I can't sleep.")
    assert [b.item_id for b in view.bubbles()] == ["u1", "a1"]
    assert isinstance(view.bubbles()[0], Bubble) and view.bubbles()[0].text == "I can't sleep."


def _window_app_with_a_demo_session(qloop, tmp_path, person):
    """`ui.main._main` with a Demo session on a silent recording; `person(window, session)` acts once
    the session is listening. Returns what `_main` returned, the session and whether on_quit ran."""
    from PySide6.QtWidgets import QApplication

    from therapy_desktop.ui.main import _main

    mic = conversation_wav(tmp_path / "mic.wav", [(None, 30.0)])
    demo = DemoEngineHost()
    sessions, quit_called = [], []

    def make_session(therapy, mode):
        sessions.append(TherapySession(therapy, key_provider(mode, demo.endpoint), wav_endpoints(mic, tmp_path / "o.wav")))
        return sessions[-1]

    async def choose_mode():
        return ConnectMode.DEMO

    async def on_quit():
        quit_called.append(True)
        await demo.stop()

    async def start_then_act():
        window = None
        while window is None:
            await asyncio.sleep(0.05)
            window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        window.start_button.click()
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 20, "connected")
        await person(window, sessions[0])

    async def scenario():
        person_task = asyncio.ensure_future(start_then_act())
        result = await asyncio.wait_for(_main(session_factory(make_session), choose_mode, TherapyType.GENERAL, lambda mode: None, on_quit), 40)
        await person_task
        return result

    # As `ui.main.main` does: closing the last window must not stop the loop before `_main` returns.
    app = QApplication.instance()
    quits_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    try:
        return qloop.run_until_complete(scenario()), sessions[0], quit_called == [True]
    finally:
        app.setQuitOnLastWindowClosed(quits_on_close)


def test_closing_the_window_mid_session_hangs_up_then_quits(qtbot, qloop, utterance_wavs, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    async def person(window, session):
        window.close()  # what the window manager's close button does
        window.close()  # a second press does not ask twice
        await wait_until(lambda: window.close_question is not None and window.close_question.isVisible(), 5, "asked")
        assert window.close_question.text() == "End the session and close?"
        assert session.state is SessionState.LISTENING  # nothing ends before the answer
        window.close_question.button(QMessageBox.StandardButton.Yes).click()

    result, session, quit_ran = _window_app_with_a_demo_session(qloop, tmp_path, person)
    assert result == 0 and session.state is SessionState.ENDED and quit_ran


def test_sigterm_mid_session_ends_it_as_closing_would_without_asking(qtbot, qloop, utterance_wavs, tmp_path):
    """A logout or shutdown sends SIGTERM: nobody is there to answer "End the session?"."""
    import os
    import signal

    asked = []

    async def person(window, session):
        os.kill(os.getpid(), signal.SIGTERM)
        await wait_until(lambda: not session.state.is_live, 20, "the session ended")
        asked.append(window.close_question is not None)

    result, session, quit_ran = _window_app_with_a_demo_session(qloop, tmp_path, person)
    assert result == 0 and session.state is SessionState.ENDED and quit_ran
    assert asked == [False]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler went with the window


def test_a_new_session_keeps_the_earlier_conversation_and_pauses_show_on_the_meter(qtbot, qloop, tmp_path, utterance_wavs):
    from tests.fakes import FakeConnection, FakeKeyProvider

    def make_session(therapy, mode):
        return TherapySession(therapy, FakeKeyProvider(), wav_endpoints(utterance_wavs["hello"], tmp_path / "o.wav"),
                              connection_factory=FakeConnection)

    window = _window(qtbot, make_session)

    async def one_session(text: str) -> None:
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 10, "connected")
        FakeConnection.last.deliver(
            {"type": "input_audio_buffer.committed", "event_id": "c", "item_id": f"u-{text}", "previous_item_id": None},
            {"type": "conversation.item.input_audio_transcription.completed", "event_id": "t", "item_id": f"u-{text}",
             "content_index": 0, "transcript": text, "usage": {"type": "duration", "seconds": 1}},
        )
        window.controller.mic_paused_changed.emit(True)
        assert window.meter.paused and "paused" in window.mic_label.text()
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(one_session("first words"))
    qloop.run_until_complete(one_session("second words"))
    assert [b.text for b in window.transcript.bubbles()] == ["second words"]
    shown = [w.text() if hasattr(w, "text") and not isinstance(w, Bubble) else w.text
             for w in window.transcript._order]
    assert "first words" in shown and "second words" in shown
    assert not window.meter.paused and window.mic_label.text() == "Mic"
