"""30-turn scripted conversations, one per kind of session, fed to the therapist directly: it never
repeats a sentence, says back the person's own words, asks before an exercise, and its summary
names what the person raised."""

from __future__ import annotations

import re

import pytest

from therapy_desktop.engine import phrasebank as pb
from therapy_desktop.engine.reflection import STOPWORDS, hear
from therapy_desktop.engine.therapist import CallTool, Say, ScriptedTherapist, split_sentences

ANXIETY = [
    "Hi. I've been feeling really anxious about my presentation at work on Friday.",
    "I keep thinking everyone will see that I don't know what I'm doing.",
    "It's mostly the questions at the end that scare me.",
    "My chest gets tight and my hands start to shake.",
    "Yes, let's try that.",
    "A little calmer, my shoulders dropped a bit.",
    "The thought is that I'll freeze and my boss will think I'm useless.",
    "Probably not that likely, I've given presentations before and they went fine.",
    "I could practise it once with my friend Sam tomorrow evening.",
    "Maybe I could write the first three sentences on a card.",
    "Are you a real person or a computer?",
    "My sleep has been bad too, I wake up at four and start worrying.",
    "I lie there replaying conversations from the day.",
    "I'm worried about money as well, the rent went up.",
    "My partner says I worry too much.",
    "It makes me feel guilty that I bring it home.",
    "I notice my jaw is clenched most evenings.",
    "I used to go running and that helped.",
    "The thought is always that something terrible is about to happen.",
    "When I look back, most of those things never happened.",
    "I could go for a run on Saturday morning.",
    "I think I'd like to tell my partner how I feel.",
    "Lately even the emails from my manager make my stomach drop.",
    "I get nervous before opening my inbox.",
    "Sometimes I feel a bit hopeful when I plan things out.",
    "I want to stop checking my phone in bed.",
    "My mother used to worry a lot, maybe I learned it from her.",
    "It helps to say it out loud, honestly.",
    "I think I could try writing the worries down before sleep.",
    "That's all for today, goodbye.",
]
STRESS = [
    "I'm so stressed with work, there are three deadlines this week.",
    "My manager keeps adding tasks and I can't say no.",
    "There's also my kids' school stuff and my mother's doctor appointments.",
    "I can control how I plan my day, but not the deadlines themselves.",
    "The report could probably wait until Monday.",
    "Sure, let's do the breathing.",
    "That was nice, I feel a bit calmer.",
    "I could tell my manager I can only take one more project.",
    "I guess I could stop checking email after seven.",
    "Maybe a bath and an early night on Thursday.",
    "I haven't seen my friends in weeks.",
    "Money is tight too, so I keep taking extra shifts.",
    "I'm exhausted most evenings and I snap at my partner.",
    "I feel guilty about that afterwards.",
    "Nobody at the office seems to notice how much I do.",
    "I could ask my colleague Priya to take the client calls.",
    "My sister offered to help with the kids on Wednesdays.",
    "I think I'm afraid of looking lazy if I say no.",
    "I could block one hour on Friday for the report.",
    "Weekends disappear into chores and catching up on work.",
    "I'd like to keep Sunday mornings free.",
    "I used to paint and I really miss it.",
    "My sleep is broken, I wake up thinking about the inbox.",
    "I could leave my laptop at the office on Fridays.",
    "Are you a human therapist?",
    "I feel overwhelmed when the calendar fills up.",
    "Maybe I could say not yet instead of yes straight away.",
    "A short walk at lunch might help me reset.",
    "It feels good to have a plan.",
    "Let's wrap it up, thank you.",
]
GENERAL = [
    "I'm not sure where to start, I've just been feeling low lately.",
    "Since I moved to the new city I don't really know anyone.",
    "My evenings are quiet and I end up scrolling for hours.",
    "I feel lonely most weekends.",
    "My old friends are far away and we rarely call.",
    "I think I'd like to find a club or a class.",
    "Maybe a pottery class near my flat.",
    "Work is fine but it's all on video calls.",
    "I miss talking to people in person.",
    "My brother visited last month and it was lovely.",
    "After he left the flat felt really empty.",
    "Is this a real person I'm talking to?",
    "I sometimes cook proper dinners, which helps.",
    "My sleep is okay, but I wake up tired.",
    "I feel a bit embarrassed that I'm lonely at my age.",
    "My neighbour said hello the other day and it made my week.",
    "I could invite her for coffee.",
    "I'm nervous she'd think it's weird.",
    "I used to play football at university.",
    "There's a five-a-side league on Tuesdays here.",
    "I could email the organiser this week.",
    "Honestly just having a routine helps.",
    "I'd like to call my old friend Marta on Sunday.",
    "My mum keeps asking if I've made friends yet.",
    "That question makes me feel like a failure.",
    "But I have been trying, I joined a running group app.",
    "I went to one run and it was okay.",
    "I think I'll go again next week.",
    "Talking about it makes it feel less heavy.",
    "I think that's all for now, bye.",
]
SCRIPTS = {"anxiety": ANXIETY, "stress": STRESS, "general": GENERAL}
_OFFERS = {re.sub(r"[^a-z ]", "", o.lower()) for o in (*pb.OFFERS, *pb.REQUEST_OFFERS) for o in split_sentences(o)}


def _run(kind: str, seed: int) -> tuple[ScriptedTherapist, list[tuple[str, Say | CallTool, Say | None]]]:
    therapist = ScriptedTherapist(kind, seed=seed)
    greeting = therapist.prompt()
    turns: list[tuple[str, Say | CallTool, Say | None]] = [("", greeting, None)]
    for line in SCRIPTS[kind]:
        turn = therapist.reply(line)
        after = therapist.after_tool(turn.name, turn.arguments) if isinstance(turn, CallTool) else None
        turns.append((line, turn, after))
    return therapist, turns


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower()))


def _offered(say: Say | CallTool) -> bool:
    return isinstance(say, Say) and any(re.sub(r"[^a-z ]", "", s.lower()) in _OFFERS for s in split_sentences(say.text))


@pytest.mark.parametrize("seed", [0, 1, 7, 42])
@pytest.mark.parametrize("kind", sorted(SCRIPTS))
def test_thirty_turns_never_repeat_a_sentence(kind, seed):
    _, turns = _run(kind, seed)
    sentences = [s for _, turn, after in turns for say in (turn, after) if isinstance(say, Say)
                 for s in split_sentences(say.text)]
    normalised = [re.sub(r"[^a-z0-9 ]", "", s.lower()) for s in sentences]
    repeated = sorted({s for s in normalised if normalised.count(s) > 1})
    assert len(turns) == 31 and not repeated


@pytest.mark.parametrize("kind", sorted(SCRIPTS))
def test_at_least_half_the_replies_reuse_a_word_the_person_just_said(kind):
    _, turns = _run(kind, 3)
    spoken = [(line, turn) for line, turn, _ in turns[1:] if isinstance(turn, Say)]
    reusing = [line for line, turn in spoken
               if {w for w in hear(line).content if w not in STOPWORDS} & _words(turn.text)]
    assert len(spoken) >= 25 and len(reusing) >= len(spoken) / 2, (len(reusing), len(spoken))


@pytest.mark.parametrize("kind", sorted(SCRIPTS))
def test_an_exercise_is_offered_and_agreed_before_it_starts(kind):
    _, turns = _run(kind, 5)
    started = [i for i, (_, turn, _) in enumerate(turns) if isinstance(turn, CallTool) and turn.name == "breathing_exercise"]
    for index in started:
        assert _offered(turns[index - 1][1]) or _offered(turns[index - 2][1]), turns[index - 1][1]  # open for two turns
        assert re.match(r"^(yes|sure|ok|okay|let's)", turns[index][0].lower())
    if kind in ("anxiety", "stress"):  # the scripts say yes once, right after the offer
        assert len(started) == 1
        assert turns[started[0]][2] is not None and "breathe" in turns[started[0]][2].text.lower()


@pytest.mark.parametrize("kind,expected", [
    ("anxiety", ["a presentation", "work", "sleep", "money", "your partner"]),
    ("stress", ["work", "deadlines", "your manager", "your children"]),
    ("general", ["friends", "your brother"]),
])
def test_the_summary_names_the_topics_and_the_persons_words(kind, expected):
    therapist, turns = _run(kind, 2)
    end = turns[-1][1]
    assert isinstance(end, CallTool) and end.name == "end_session_summary"
    args = end.arguments
    assert set(args) <= {"summary", "key_topics", "suggested_next_steps", "mood_observation"}
    for topic in expected:
        assert topic in args["key_topics"], (topic, args["key_topics"])
    assert any(topic in args["summary"] for topic in expected)
    quote = re.search(r"\u201c(.+?)\.?\u201d", args["summary"])
    assert quote and any(quote.group(1).rstrip("…") in line for line in SCRIPTS[kind])
    assert therapist.feelings and therapist.feelings[0] in args["mood_observation"]
    own_steps = [s for s in args["suggested_next_steps"] if "\u201c" in s]
    assert own_steps and all(any(s.split("\u201c")[1].rstrip("\u201d…") in line for line in SCRIPTS[kind]) for s in own_steps)
