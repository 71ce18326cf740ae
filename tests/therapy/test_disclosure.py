"""When the app says again that it is an AI: session start, 3 hours, 7 days away, when asked."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.therapy.test_safety_state import FakeClock
from therapy_desktop.therapy import DISCLOSURE_LINE, DisclosurePolicy, DisclosureReason, asks_if_human

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_every_session_starts_with_a_disclosure():
    policy = DisclosurePolicy(last_use=T0 - timedelta(hours=2), clock=FakeClock(T0))
    assert policy.at_session_start() == (DisclosureReason.SESSION_START,)


@pytest.mark.parametrize(
    ("away", "returning"),
    [(None, True), (timedelta(days=7), True), (timedelta(days=30), True), (timedelta(days=6, hours=23), False)],
)
def test_a_first_use_or_seven_days_away_is_a_reason_of_its_own(away, returning):
    last_use = None if away is None else T0 - away
    reasons = DisclosurePolicy(last_use, FakeClock(T0)).at_session_start()
    assert (DisclosureReason.RETURNING in reasons) is returning


def test_three_hours_of_continuous_use_are_disclosed_again_and_the_timer_restarts():
    clock = FakeClock(T0)
    policy = DisclosurePolicy(T0 - timedelta(days=1), clock)
    assert policy.due() is None  # nothing shown yet: the session start is the first
    policy.disclosed()
    clock.advance(hours=2, minutes=59)
    assert policy.due() is None
    clock.advance(minutes=1)
    assert policy.due() is DisclosureReason.CONTINUOUS_USE
    policy.disclosed()
    assert policy.due() is None
    clock.advance(hours=3)
    assert policy.due() is DisclosureReason.CONTINUOUS_USE


def test_answering_a_question_restarts_the_three_hours():
    clock = FakeClock(T0)
    policy = DisclosurePolicy(None, clock)
    policy.disclosed()
    clock.advance(hours=2)
    assert policy.on_user_text("wait are you a real person") is DisclosureReason.ASKED
    policy.disclosed()
    clock.advance(hours=2)
    assert policy.due() is None
    assert policy.last_disclosed == T0 + timedelta(hours=2)


def test_a_naive_last_use_is_refused():
    with pytest.raises(ValueError):
        DisclosurePolicy(datetime(2026, 1, 1), FakeClock(T0))


@pytest.mark.parametrize(
    "text",
    [
        "Are you a real person?",
        "are you human",
        "r u a bot",
        "am i talking to a real therapist",
        "Am I talking to a human or a machine?",
        "is this a real person or an AI",
        "wait is this a bot",
        "are you actually a therapist",
        "be honest, are you real?",
        "is there a real person on the other end",
        "is a human listening to this",
        "who am i talking to",
        "what are you",
        "you're just a robot aren't you",
        "ARE YOU A REAL THERAPIST",
        "so um are you like a real person",
        "are you an AI",
        "is this a recording",
        "i need to know if im speaking with someone real",
    ],
)
def test_questions_about_being_human_are_recognised(text):
    assert asks_if_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "are you sure",
        "are you there",
        "are you really going to help me",
        "I am a real person",
        "my therapist is a real person",
        "is it real that anxiety causes chest pain",
        "who are you to judge me",
        "what are you doing",
        "the bot at work keeps messing up",
        "I need a human to talk to",
        "",
    ],
)
def test_other_questions_are_not(text):
    assert not asks_if_human(text)


def test_the_line_shown_says_ai_companion_not_human_not_licensed_therapist():
    assert "AI companion" in DISCLOSURE_LINE and "not a human" in DISCLOSURE_LINE and "not a licensed therapist" in DISCLOSURE_LINE
