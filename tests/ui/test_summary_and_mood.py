"""Mood before Start, the summary view after the AI companion's summary (edited, saved with the
mood after into a real history), mood after an End, the timer and the time-limit notice."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import wait_until
from tests.ui.scripted import make_rig, reply, tool_call, user_turn
from therapy_desktop.session.events import LimitApproaching
from therapy_desktop.session.state import SessionState
from therapy_desktop.ui.session_timer import mm_ss

SUMMARY = {"summary": "We talked about sleep and work.", "key_topics": "sleep",  # a string where a list belongs
           "what_helped": ["box breathing"], "suggested_next_steps": ["Wind down at ten", "Note worries"]}


def test_the_mood_before_goes_to_the_session_and_can_be_skipped(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    picker = rig.window.mood_before
    assert picker.value() is None and picker.value_label.text() == "not rated"
    picker.slider.setFocus()
    qtbot.keyClick(picker.slider, Qt.Key.Key_Right)  # 5 → 6, and it is now rated
    assert picker.value() == 6 and picker.value_label.text() == "6 of 10"
    assert picker.slider.accessibleDescription() == "6 of 10"

    async def scenario():
        qtbot.mouseClick(rig.window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")
        assert not rig.window.mood_before.isVisible()  # not during the session
        rig.window.controller.end()
        await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended")
        await rig.recorders[0].flushed()

    qloop.run_until_complete(scenario())
    assert rig.store.get_session(rig.recorders[0].session_id).mood_before == 6
    assert picker.value() is None and picker.skip.isChecked()  # the next session asks afresh


def test_the_summary_fills_from_the_tool_and_saves_edits_and_mood(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    view = rig.window.summary_view

    async def scenario():
        qtbot.mouseClick(rig.window.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")
        server = rig.server
        server.deliver(*user_turn())
        server.deliver(*tool_call("end_session_summary", SUMMARY))
        reply(server, "a9", "r9", "ft", ("Take care. Goodbye.",))
        await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended by the summary")

    qloop.run_until_complete(scenario())
    assert view.isVisible() and view.pending and rig.window.panels.isVisible()
    assert view.title.text() == "Session summary"
    assert view.summary_text.text() == "We talked about sleep and work."
    assert view.topics.text() == "• sleep" and view.helped.text() == "• box breathing"
    assert view.steps.toPlainText() == "Wind down at ten\nNote worries"
    assert "The AI companion is wrapping up the session." in rig.window.transcript.transcript_text()
    view.steps.setPlainText("Wind down at ten\n\nWalk at lunch")
    view.mood.set_value(7)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Saved to your history." and not view.save_button.isEnabled()
    view.save()  # a second press changes nothing: the mood goes once
    qloop.run_until_complete(rig.recorders[0].flushed())
    record = rig.store.get_session(rig.recorders[0].session_id)
    assert record.mood_after == 7
    assert record.summary.suggested_next_steps == ("Wind down at ten", "Walk at lunch")
    assert record.summary.key_topics == ("sleep",) and record.summary.what_helped == ("box breathing",)
    assert rig.moods_after == [7]  # the clinic's end heard it once
    assert record.end_reason == "summary"


@pytest.mark.parametrize("save", [True, False])
def test_ending_with_end_offers_the_mood_after(qtbot, qloop, tmp_path, save):
    rig = make_rig(qtbot, tmp_path)
    view = rig.window.summary_view

    async def scenario():
        qtbot.keyClick(rig.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the start/end shortcut
        await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")
        qtbot.keyClick(rig.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())
    assert view.isVisible() and view.title.text() == "Session ended"
    assert not view.steps.isVisible() and not view.topics.isVisible() and view.mood.isVisible()
    if save:
        view.mood.set_value(3)
        view.save_button.click()
    else:
        view.skip_button.click()
        assert not view.isVisible() and not rig.window.panels.isVisible()
    qloop.run_until_complete(rig.recorders[0].flushed())
    record = rig.store.get_session(rig.recorders[0].session_id)
    assert record.mood_after == (3 if save else None)
    assert record.summary is None
    assert rig.moods_after == [3 if save else None]


def test_a_start_that_fails_closes_its_record_without_asking_for_a_mood(qtbot, qloop, tmp_path, monkeypatch):
    from therapy_desktop.audio.endpoints import AudioEndpoints
    from therapy_desktop.realtime.connect_mode import ConnectMode
    from therapy_desktop.realtime.providers import key_provider
    from therapy_desktop.session.recorder import SessionRecorder
    from therapy_desktop.session.therapy_session import TherapySession
    from therapy_desktop.ui.session_controller import StartedSession

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    rig = make_rig(qtbot, tmp_path)
    finished = []

    async def no_key_session(request):  # OpenAI with no key anywhere: the start fails
        session = TherapySession(request.therapy, key_provider(ConnectMode.OPENAI, lambda: None),
                                 AudioEndpoints(mic_wav=tmp_path / "mic.wav", speaker_wav=tmp_path / "o.wav"))
        rig.recorders.append(SessionRecorder(rig.store, session, mode="openai"))

        async def finish(mood):
            finished.append(mood)

        return StartedSession(session, rig.recorders[-1], finish)

    rig.window.controller._make_session = no_key_session
    before = rig.window.transcript.transcript_text()

    async def scenario():
        rig.window.start_button.click()
        await wait_until(lambda: rig.window.status.state is SessionState.ERROR, 10, "failed")
        await wait_until(lambda: finished == [None], 5, "the records closed")

    qloop.run_until_complete(scenario())
    assert rig.window.transcript.transcript_text() == before  # no empty session header
    assert not rig.window.summary_view.isVisible()
    assert rig.window.error_banner.isVisible()
    assert rig.window.error_banner.label.text().startswith("No OpenAI API key is set. Add one in Settings")
    assert "No OpenAI API key is set" in rig.window.error_banner.detail.text()  # the exact text stays, as a detail
    assert rig.window.start_button.isEnabled() and rig.window.mood_before.isVisible()


def test_the_timer_shows_time_and_limit_and_the_notice_shows_minutes_left(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)
    assert rig.window.timer.text() == ""
    assert mm_ss(0) == "00:00" and mm_ss(125.7) == "02:05" and mm_ss(1800) == "30:00"

    async def scenario():
        rig.window.start_button.click()
        await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")
        timer = rig.sessions[0].timer
        timer.started_at -= 61  # a minute has passed (the session's own clock)
        rig.window.timer.refresh()
        assert rig.window.timer.text() == "01:01 / 30:00"
        assert rig.window.timer.accessibleName() == "Session time 01:01 of 30:00"
        rig.window.controller.limit_approaching.emit(LimitApproaching(4.8))
        assert rig.window.limit_notice.isVisible()
        assert rig.window.limit_notice.text() == "About 5 minutes left in this session."
        rig.window.controller.end()
        await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended")

    qloop.run_until_complete(scenario())
    assert not rig.window.limit_notice.isVisible()
