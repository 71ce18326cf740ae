"""Short answers to the AI companion's safety questions, read against the question."""

import pytest

from therapy_desktop.therapy.crisis_answers import answer_is_crisis, asked_about_risk
from therapy_desktop.therapy.crisis_rules import CrisisKind

IDEATION = "That sounds so heavy. Are you having thoughts of ending your life? I'm here with you."
PLAN = "Thank you for telling me. Do you have a plan for how you would do it?"
SAFE = "I'm worried about you. Are you safe right now?"
WHO = "It's okay to tell me. Who are you thinking of hurting?"
STILL_THERE = "Is he still in the house?"
SELF_HARM = "Have you hurt yourself tonight?"


@pytest.mark.parametrize(("question", "answer", "kind"), [
    (IDEATION, "yeah", CrisisKind.SUICIDAL_IDEATION),
    (IDEATION, "kind of. most days.", CrisisKind.SUICIDAL_IDEATION),
    ("Do you have thoughts of suicide?", "sometimes", CrisisKind.SUICIDAL_IDEATION),
    ("Have you thought about ending your life?", "yes", CrisisKind.SUICIDAL_IDEATION),
    (PLAN, "tonight", CrisisKind.PLAN_OR_MEANS),
    (PLAN, "yes, i have them here. the whole box.", CrisisKind.PLAN_OR_MEANS),
    (PLAN, "the garage", CrisisKind.PLAN_OR_MEANS),
    (WHO, "him. my brother. tonight when he's drunk.", CrisisKind.HARM_TO_OTHERS),
    (STILL_THERE, "yes. he's still in the house. in the kitchen.", CrisisKind.DANGER_OR_ABUSE),
    (SELF_HARM, "yeah. my thighs.", CrisisKind.SELF_HARM),
    (SAFE, "no", CrisisKind.DANGER_OR_ABUSE),
    (SAFE, "not really", CrisisKind.DANGER_OR_ABUSE),
])
def test_a_short_yes_to_a_risk_question_or_a_no_to_a_safety_question_is_a_crisis(question, answer, kind):
    assert answer_is_crisis(question, answer) is kind


@pytest.mark.parametrize(("question", "answer"), [
    (IDEATION, "no"),
    (IDEATION, "no, i'm not, i just feel flat"),
    (IDEATION, "not at all, i'm just tired"),
    (PLAN, "no, nothing like that"),
    (SAFE, "yes"),
    (SAFE, "i'm safe, my sister is here"),
    (STILL_THERE, "no, he left an hour ago"),
    (WHO, "nobody, i'm just angry"),
    ("What did you have for breakfast?", "tonight"),
    ("How has your week been?", "yeah"),
    ("Are you having thoughts of ending your life, or is it more that you feel worn out?", "the second one"),
    ("That sounds hard. Do you want to try a breathing exercise?", "yes"),
])
def test_other_answers_and_other_questions_are_left_to_the_words(question, answer):
    assert answer_is_crisis(question, answer) is None


def test_a_long_answer_is_read_whole_by_the_classifier_not_here():
    long_answer = "yes well i mean i have thought about it sometimes but i would never do it because of my kids honestly"
    assert answer_is_crisis(PLAN, long_answer) is None


def test_only_the_last_question_of_the_message_counts():
    assert asked_about_risk("Are you having thoughts of suicide? Would you like to try a breathing exercise?") is None
    assert asked_about_risk("Shall we breathe together? Are you safe right now?") == (CrisisKind.DANGER_OR_ABUSE, False)
    assert asked_about_risk("You are not alone.") is None
