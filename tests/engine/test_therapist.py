import pytest

from therapy_desktop.engine.therapist import CallTool, Say, ScriptedTherapist, guided_breathing, therapy_type_from_instructions
from therapy_desktop.therapy import TherapyType, build_instructions


@pytest.mark.parametrize("words", [
    "Sometimes I think about ending my life.",
    "I want to kill myself",
    "I have been hurting myself again",
    "I don't want to be here anymore",
])
def test_crisis_words_get_the_safety_reply_with_the_crisis_line(words):
    reply = ScriptedTherapist("general").reply(words)
    assert isinstance(reply, Say) and "988" in reply.text and "AI" in reply.text


def test_the_reply_reflects_the_topic_in_good_grammar():
    reply = ScriptedTherapist("stress").reply("I am stressed about my exams")
    assert "things around exams have been putting a lot of pressure on you" in reply.text


def test_breathing_then_goodbye_use_both_tools_and_the_summary_is_honest():
    therapist = ScriptedTherapist("anxiety")
    assert isinstance(therapist.reply("Work makes me anxious"), Say)
    assert therapist.reply("Can we do a breathing exercise?") == CallTool("breathing_exercise", {"pattern": "box", "cycles": 2})
    summary = therapist.reply("That's all for today, goodbye")
    assert isinstance(summary, CallTool) and summary.name == "end_session_summary"
    assert "box breathing" in summary.arguments["summary"] and summary.arguments["key_topics"] == ["work"]


def test_guided_breathing_lasts_as_long_as_the_pattern_says():
    say = guided_breathing("box", 2)
    paced = sum(seconds for _, seconds in say.parts)
    assert paced == 2 * (4 + 4 + 4 + 4)
    assert say.text.startswith("Let's breathe together") and say.text.endswith("How do you feel now?")
    assert sum(s for _, s in guided_breathing("4-7-8", 1).parts) == 4 + 7 + 8


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_the_engine_recognises_our_session_types_from_the_instructions(therapy):
    assert therapy_type_from_instructions(build_instructions(therapy)) == therapy.value
