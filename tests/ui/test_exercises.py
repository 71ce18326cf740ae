"""The breathing pacer and the grounding steps: started by the AI companion's tools, stepped
second by second (no sleeping), finished or stopped, and reported back to the model."""

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_until
from tests.ui.scripted import make_rig, reply, spoken_reply, tool_call, user_turn
from therapy_desktop.session.state import SessionState
from therapy_desktop.therapy import BreathingExercise
from therapy_desktop.ui import pacer as pacer_module
from therapy_desktop.ui.pacer import LARGE, SMALL, BreathingPacer, phases_of


def test_the_pacer_runs_each_phase_for_its_seconds_then_finishes(qtbot):
    pacer = BreathingPacer()
    qtbot.addWidget(pacer)
    finished = []
    pacer.finished.connect(lambda *args: finished.append(args))
    pacer.arm(BreathingExercise("box", 2, (4, 4, 4, 4)))
    assert pacer.isVisibleTo(pacer.parentWidget() or pacer) and pacer.waiting and not pacer.running
    pacer.speech_started()
    seen = []
    for _ in range(2 * 16):
        seen.append((pacer.cycle, pacer.phase.key, pacer.second, pacer.phase_label.text()))
        if pacer.second == 1:  # a new phase: where the circle is heading
            seen[-1] += (pacer._animation.endValue(), pacer._animation.duration())
        pacer.tick()
    assert finished == [(2, 2, False)]
    assert not pacer.running and not pacer.stop_button.isEnabled()
    assert pacer.phase_label.text() == "Well done — the breathing exercise is finished."
    firsts = [s for s in seen if len(s) == 6]
    assert [(c, key, end, ms) for c, key, _, _, end, ms in firsts] == [
        (1, "inhale", LARGE, 4000), (1, "hold", LARGE, 4000), (1, "exhale", SMALL, 4000), (1, "rest", SMALL, 4000),
        (2, "inhale", LARGE, 4000), (2, "hold", LARGE, 4000), (2, "exhale", SMALL, 4000), (2, "rest", SMALL, 4000),
    ]
    assert [s[3] for s in seen[:5]] == ["Breathe in · 1 of 4 s", "Breathe in · 2 of 4 s", "Breathe in · 3 of 4 s",
                                        "Breathe in · 4 of 4 s", "Hold · 1 of 4 s"]
    assert pacer.cycle_label.text() == ""
    assert pacer.phase_label.accessibleDescription() == "Well done — the breathing exercise is finished."


def test_4_7_8_has_no_rest_phase_and_a_stop_counts_whole_cycles(qtbot):
    exercise = BreathingExercise("4-7-8", 3, (4, 7, 8, 0))
    assert [(p.key, p.seconds) for p in phases_of(exercise)] == [("inhale", 4), ("hold", 7), ("exhale", 8)]
    pacer = BreathingPacer()
    qtbot.addWidget(pacer)
    finished = []
    pacer.finished.connect(lambda *args: finished.append(args))
    pacer.arm(exercise)
    pacer.begin()
    for _ in range(19 + 5):  # one cycle and into the second
        pacer.tick()
    assert pacer.cycle == 2 and pacer.phase.key == "hold"
    qtbot.mouseClick(pacer.stop_button, Qt.MouseButton.LeftButton)
    assert finished == [(1, 3, True)]
    assert pacer.phase_label.text() == "Breathing exercise stopped."
    pacer.tick()
    pacer.stop()
    assert finished == [(1, 3, True)]  # once


def test_the_pacer_starts_by_itself_when_no_speech_comes(qtbot):
    pacer = BreathingPacer()
    qtbot.addWidget(pacer)
    pacer.arm(BreathingExercise("coherent", 1, (5, 0, 5, 0)))
    assert pacer._fallback.isActive() and pacer._fallback.interval() == pacer_module.START_WITHOUT_SPEECH_MS
    pacer._fallback.timeout.emit()  # the two seconds pass
    assert pacer.running and pacer.phase.key == "inhale"
    pacer.speech_started()  # late speech does not restart it
    assert pacer.second == 1 and pacer.cycle == 1


async def _connect(rig, qtbot):
    qtbot.mouseClick(rig.window.start_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: rig.window.status.state is SessionState.LISTENING, 10, "connected")


async def _end(rig):
    rig.window.controller.end()
    await wait_until(lambda: rig.window.status.state is SessionState.ENDED, 10, "ended")


def test_breathing_in_a_session_starts_with_the_voice_and_tells_the_model_when_done(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)

    async def scenario():
        await _connect(rig, qtbot)
        server, pacer = rig.server, rig.window.pacer
        server.deliver(*user_turn())
        server.deliver(*tool_call("breathing_exercise", {"pattern": "coherent", "cycles": 2}))
        assert pacer.isVisible() and pacer.waiting and rig.window.panels.isVisible()
        assert "coherent" in pacer.title.text()
        start, deltas, end = spoken_reply(item="a1", response="r2", previous="ft", words=("Breathe in with me.",))
        server.deliver(*start)  # the AI companion starts speaking its guidance
        assert rig.window.status.state is SessionState.THERAPIST_SPEAKING
        assert pacer.running and pacer.phase.key == "inhale"
        server.deliver(*deltas, *end)
        for _ in range(2 * 10):
            pacer.tick()
        assert not pacer.running
        assert rig.system_notes()[-1] == "The person finished the breathing exercise on screen (2 of 2 cycles)."
        notices = rig.window.transcript.transcript_text()
        assert "Guided breathing · coherent (5-0-5-0 s) · 2 cycles — follow the circle." in notices
        assert "Breathing exercise finished (2 of 2 cycles)." in notices
        assert pacer.isVisible()  # its last words stay a moment
        await _end(rig)
        assert pacer.isHidden() and rig.window.summary_view.isVisible()  # the summary gets the room

    qloop.run_until_complete(scenario())

def test_stopping_the_pacer_tells_the_model_and_asks_it_to_go_on(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)

    async def scenario():
        await _connect(rig, qtbot)
        server, pacer = rig.server, rig.window.pacer
        server.deliver(*tool_call("breathing_exercise", {"pattern": "box", "cycles": 4}))
        pacer._fallback.timeout.emit()  # no speech came
        for _ in range(16 + 3):
            pacer.tick()
        sent_before = len(server.sent)
        qtbot.mouseClick(pacer.stop_button, Qt.MouseButton.LeftButton)
        assert rig.system_notes()[-1] == "The person stopped the breathing exercise on screen after 1 of 4 cycles."
        assert [e["type"] for e in server.sent[sent_before:]] == ["conversation.item.create", "response.create"]
        await _end(rig)

    qloop.run_until_complete(scenario())

def test_grounding_shows_its_steps_and_moves_on_with_the_ai_companion_and_the_person(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)

    async def scenario():
        await _connect(rig, qtbot)
        server, view = rig.server, rig.window.grounding
        server.deliver(*user_turn())
        reply(server, "a0", "r0", "u1", ("I am here.",))  # said before the tool: it moves nothing
        server.deliver(*tool_call("grounding_exercise", {}, response="rg", item="fg"))
        assert view.isVisible()
        assert [label.text().strip() for label in view.step_labels] == [
            "▶ 5 things you can see", "4 things you can hear", "3 things you can touch", "2 things you can smell",
            "1 thing you can taste"]
        assert view.current == 0 and view.step_labels[0].accessibleName() == "Step 1 of 5: 5 things you can see, current"
        reply(server, "a1", "r1", "fg", ("Look around: name five things you can see.",))
        assert view.current == 0  # it introduced step one
        server.deliver(*user_turn("u2", "a1"))
        reply(server, "a2", "r2", "u2", ("Now four things you can hear.",))
        assert view.current == 1 and view.current_label.text() == "Now: 4 things you can hear"
        assert view.step_labels[0].accessibleName().endswith(", done")
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)  # the person moves on
        assert view.current == 2
        reply(server, "a3", "r3", "a2", ("Two things you can smell.",))
        assert view.current == 3 and view.next_button.text() == "Next step"
        reply(server, "a4", "r4", "a3", ("And one thing you can taste.",))
        assert view.current == 4 and view.next_button.text() == "Finish"
        view.next_button.click()
        assert not view.active and view.current_label.text() == "Grounding finished — all five steps."
        assert rig.system_notes()[-1] == "The person went through all 5 steps of the grounding exercise on screen."
        await _end(rig)

    qloop.run_until_complete(scenario())

def test_stopping_grounding_reports_the_steps_done(qtbot, qloop, tmp_path):
    rig = make_rig(qtbot, tmp_path)

    async def scenario():
        await _connect(rig, qtbot)
        rig.server.deliver(*tool_call("grounding_exercise", {}))
        rig.window.grounding.next_button.click()
        rig.window.grounding.stop_button.click()
        assert rig.system_notes()[-1] == "The person stopped the grounding exercise on screen after 1 of 5 steps."
        await _end(rig)

    qloop.run_until_complete(scenario())
