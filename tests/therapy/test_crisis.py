"""The local crisis net on single utterances: kinds, excuses, ASR-style text, speed, bad input."""

import time

import pytest

from therapy_desktop.therapy.crisis import CrisisKind, classify
from therapy_desktop.therapy.crisis_text import normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I don't see a future for myself any more", CrisisKind.SUICIDAL_IDEATION),
        ("everyone would be better off without me", CrisisKind.SUICIDAL_IDEATION),
        ("I just want to sleep and not wake up", CrisisKind.SUICIDAL_IDEATION),
        ("I've been saving up my pills", CrisisKind.PLAN_OR_MEANS),
        ("I looked up how high the bridge is", CrisisKind.PLAN_OR_MEANS),
        ("I wanted to say goodbye before I go", CrisisKind.GOODBYE),
        ("I've given away my things", CrisisKind.GOODBYE),
        ("I cut myself last night", CrisisKind.SELF_HARM),
        ("I want to kill him", CrisisKind.HARM_TO_OTHERS),
        ("he hits me", CrisisKind.DANGER_OR_ABUSE),
        ("I'm scared to go home", CrisisKind.DANGER_OR_ABUSE),
    ],
)
def test_each_kind_of_crisis_is_recognised_with_its_kind(text, kind):
    result = classify(text)
    assert result.is_crisis and kind in result.kinds
    assert result.cues and all(c.excused is None for c in result.cues)


@pytest.mark.parametrize(
    "text",
    [
        "I DON'T SEE A FUTURE FOR MYSELF ANY MORE",
        "i dont see a future for myself anymore",
        "im going to kill myself",
        "ive been saving up my pills",
        "he hits me and im scared to go home",
        "I\u2019m going to kill myself.",
    ],
)
def test_transcripts_without_case_punctuation_or_apostrophes_are_read_the_same(text):
    assert classify(text).is_crisis


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I would never hurt myself", "negated"),
        ("I'm not going to kill myself", "negated"),
        ("I used to self-harm years ago but I'm fine now", "past_resolved"),
        ("my cousin told me she used to self harm", "someone_else"),
        ("I cut myself shaving", "accident"),
    ],
)
def test_excused_matches_are_kept_with_their_reason_for_the_logs(text, reason):
    result = classify(text)
    assert not result.is_crisis
    assert reason in {c.excused for c in result.excused}


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is murder",
        "I am drowning in paperwork",
        "my laptop battery is dead",
        "I could kill for a coffee",
        "that joke killed me",
        "my friend's dad died",
        "you misunderstood",
        "I was joking",
        "",
        "   ",
    ],
)
def test_hyperbole_news_and_retractions_are_not_a_crisis(text):
    assert not classify(text).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to kill myself tonight",
        "I'm not going to hurt myself yet",
        "I used to cut years ago and I was fine for a while but I've started again",
        "years ago I tried to end my life",
        "I'm not suicidal but I want to die",
        # A past followed by a resolution that is itself negated, or by a wish stated now (found in review).
        "There was a time I was happy. I haven't been okay since my divorce and I want to kill myself.",
        "In high school I was bullied. I have not been okay since. I want to die.",
        "A long time ago I thought about killing myself. I'm not fine now, I think about it again.",
        "Years ago I tried to end it, I am fine now. But I want to kill myself.",
    ],
)
def test_a_negation_or_past_that_leaves_risk_open_still_counts(text):
    assert classify(text).is_crisis


def test_two_statements_in_one_turn_count_separately():
    result = classify("I would never hurt myself. But he hits me.")
    assert result.is_crisis and result.kinds == {CrisisKind.DANGER_OR_ABUSE}


def test_non_text_input_is_not_a_crisis_and_does_not_raise():
    assert not classify(None).is_crisis  # type: ignore[arg-type]
    assert not classify(12).is_crisis  # type: ignore[arg-type]


def test_the_log_line_names_rules_not_the_persons_words():
    line = classify("I've been saving up my pills").log_line
    assert "stockpiling" in line and "pills" not in line


def test_normalize_spells_out_contractions_and_marks_clauses():
    assert normalize("I can't. Won't! Don't") == "i can not , will not , do not"
    assert normalize("I'm fine but he isn't") == "i am fine , but he is not"


def test_a_long_turn_is_classified_quickly():
    text = ("I had a long day at work and the traffic was murder, " * 200) + "and I want to end it all"
    started = time.perf_counter()
    for _ in range(10):
        result = classify(text)
    per_call = (time.perf_counter() - started) / 10
    print(f"\nclassify: {per_call * 1000:.1f} ms for a {len(text)}-character turn")
    assert result.is_crisis  # timing is printed, not asserted (shared CI machine)


def test_arbitrary_text_never_raises():
    import random

    rng = random.Random(12)
    alphabet = "abcdefghijklmnopqrstuvwxyz  '’,.!?-—\"()0123456789\u00e9\u4e2d\n\t"
    words = "i me not never kill die myself him her pills bridge goodbye cut hit if my the and but was used to".split()
    for _ in range(300):
        noise = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        phrase = " ".join(rng.choice(words) for _ in range(rng.randint(0, 25)))
        for text in (noise, phrase, phrase.upper(), f"{noise} {phrase}"):
            result = classify(text)
            assert isinstance(result.is_crisis, bool)
