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


def test_the_reply_reflects_the_feeling_and_the_situation_in_the_persons_words():
    reply = ScriptedTherapist("stress", seed=0).reply("I am stressed about my exams")
    assert isinstance(reply, Say) and "your exams" in reply.text and "stressed" in reply.text
    assert reply.text.count("?") == 1  # one open question at a time


def test_it_greets_first_as_an_ai_companion_and_asks_what_brings_the_person():
    therapist = ScriptedTherapist("anxiety", seed=0)
    greeting = therapist.prompt().text
    assert "AI companion" in greeting and "not a human" in greeting and "not a licensed therapist" in greeting
    assert greeting.endswith("What brings you here today?")
    assert "AI companion" not in therapist.prompt().text  # a later prompt is not the greeting again


@pytest.mark.parametrize("question", ["Are you a real person?", "am I talking to a human", "Is this a real therapist?",
                                      "Are you actually a robot?"])
def test_asked_whether_it_is_human_it_says_it_is_an_ai_companion(question):
    therapist = ScriptedTherapist("general", seed=0)
    therapist.reply("I have been feeling low")
    reply = therapist.reply(question)
    assert isinstance(reply, Say) and "AI" in reply.text and "not a licensed therapist" in reply.text


def test_panic_gets_an_acknowledgement_and_an_offer_not_the_exercise():
    therapist = ScriptedTherapist("anxiety", seed=0)
    offer = therapist.reply("I had a panic attack on the bus and my heart was racing")
    assert isinstance(offer, Say) and offer.text.endswith("?")
    first = offer.parts[0][0]
    assert "breath" not in first.lower()  # the first sentence acknowledges; the offer comes after
    assert therapist.reply("Yes, let's try.") == CallTool("breathing_exercise", {"pattern": "box", "cycles": 2})


def test_a_declined_offer_does_not_start_the_exercise():
    therapist = ScriptedTherapist("anxiety", seed=0)
    therapist.reply("Can we do a breathing exercise?")
    reply = therapist.reply("No, I'd rather keep talking.")
    assert isinstance(reply, Say) and not therapist.breathing_done


def test_yes_without_an_offer_starts_nothing():
    therapist = ScriptedTherapist("anxiety", seed=0)
    assert isinstance(therapist.reply("Yes."), Say)


def test_after_a_crisis_it_stays_with_safety_and_offers_no_exercise():
    therapist = ScriptedTherapist("anxiety", seed=0)
    first = therapist.reply("I don't want to be here anymore")
    later = therapist.reply("Can we do a breathing exercise?")
    assert isinstance(first, Say) and "116 123" in first.text and "988" in first.text
    assert isinstance(later, Say) and not therapist.offer_pending
    again = therapist.reply("I want to kill myself")
    assert isinstance(again, Say) and "988" in again.text and again.text != first.text


def test_breathing_then_goodbye_use_both_tools_and_the_summary_is_honest():
    therapist = ScriptedTherapist("anxiety", seed=0)
    assert isinstance(therapist.reply("Work makes me anxious"), Say)
    assert isinstance(therapist.reply("Can we do a breathing exercise?"), Say)  # asked first
    assert therapist.reply("Okay") == CallTool("breathing_exercise", {"pattern": "box", "cycles": 2})
    summary = therapist.reply("That's all for today, goodbye")
    assert isinstance(summary, CallTool) and summary.name == "end_session_summary"
    assert "box breathing" in summary.arguments["summary"] and summary.arguments["key_topics"] == ["work"]
    assert "anxious" in summary.arguments["summary"]


def test_guided_breathing_lasts_as_long_as_the_pattern_says():
    say = guided_breathing("box", 2)
    paced = sum(seconds for _, seconds in say.parts)
    assert paced == 2 * (4 + 4 + 4 + 4)
    assert say.text.startswith("Let's breathe together") and say.text.endswith("How do you feel now?")
    assert sum(s for _, s in guided_breathing("4-7-8", 1).parts) == 4 + 7 + 8


def test_a_second_exercise_in_a_session_uses_new_cues():
    therapist = ScriptedTherapist("anxiety", seed=0)
    first = therapist.after_tool("breathing_exercise", {"pattern": "box", "cycles": 2})
    second = therapist.after_tool("breathing_exercise", {"pattern": "box", "cycles": 2})
    assert not {s for s, _ in first.parts} & {s for s, _ in second.parts}


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_the_engine_recognises_our_session_types_from_the_instructions(therapy):
    assert therapy_type_from_instructions(build_instructions(therapy)) == therapy.value
