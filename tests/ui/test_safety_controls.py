"""The safety parts of the window: no session before the terms are accepted, the crisis panel up
the moment a net flags and kept for the session, the "I am an AI" line when asked."""

from PySide6.QtCore import Qt

from tests.fakes import FakeConnection, FakeKeyProvider
from tests.ui.conftest import wait_until
from tests.ui.test_main_window import _window
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.storage.consent import accepted_version
from therapy_desktop.therapy import CONSENT_VERSION, DISCLOSURE_LINE
from therapy_desktop.ui.consent_dialog import ConsentDialog


def _fake_window(qtbot, tmp_path, utterance_wavs):
    from tests.conftest import wav_endpoints

    def make_session(therapy, mode):
        return TherapySession(therapy, FakeKeyProvider(), wav_endpoints(utterance_wavs["hello"], tmp_path / "o.wav"),
                              connection_factory=FakeConnection)

    return _window(qtbot, make_session)


def _user_says(text: str, item: str = "u1") -> None:
    FakeConnection.last.deliver(
        {"type": "input_audio_buffer.committed", "event_id": "c", "item_id": item, "previous_item_id": None},
        {"type": "conversation.item.input_audio_transcription.completed", "event_id": "t", "item_id": item,
         "content_index": 0, "transcript": text, "usage": {"type": "duration", "seconds": 1}})


def test_declining_the_terms_blocks_start_and_accepting_starts(qtbot, qloop, tmp_path, utterance_wavs, monkeypatch):
    monkeypatch.delenv("THERAPY_DESKTOP_ACCEPT_TERMS")
    answers = iter([ConsentDialog.DialogCode.Rejected, ConsentDialog.DialogCode.Accepted])
    monkeypatch.setattr(ConsentDialog, "exec", lambda self: next(answers))
    window = _fake_window(qtbot, tmp_path, utterance_wavs)

    async def scenario():
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        assert window.controller.session is None and accepted_version() is None  # declined: nothing started
        assert window.error_banner.isVisible()
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 10, "connected after accepting")
        assert accepted_version() == CONSENT_VERSION
        window.controller.end()
        await wait_until(lambda: not window.status.state.is_live, 10, "ended")

    qloop.run_until_complete(scenario())


def test_the_crisis_panel_comes_up_and_stays_and_the_ai_line_shows_when_asked(qtbot, qloop, tmp_path, utterance_wavs):
    window = _fake_window(qtbot, tmp_path, utterance_wavs)
    panel = window.safety.panel

    async def scenario():
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.status.state is SessionState.LISTENING, 10, "connected")
        assert not panel.isVisible()
        _user_says("I don't see a future for myself any more", "u1")
        # classified on the crisis net's worker thread, applied on the loop a moment later
        await wait_until(lambda: panel.isVisible() and panel.raised_for_crisis, 5, "the crisis panel")
        _user_says("sorry you misunderstood, I was joking", "u2")
        assert panel.isVisible()  # sticky for the rest of the session
        _user_says("wait, am I talking to a real person?", "u3")
        await wait_until(lambda: any(DISCLOSURE_LINE in getattr(w, "text", lambda: "")() if callable(getattr(w, "text", None))
                                     else False for w in window.transcript._order), 5, "the AI line shown")
        assert window.controller.session.state.is_in_call  # nobody is hung up on
        window.controller.end()
        await wait_until(lambda: not window.status.state.is_live, 10, "ended")

    qloop.run_until_complete(scenario())
