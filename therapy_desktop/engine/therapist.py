"""The Demo therapist: scripted and offline, but it listens. It greets first and says it is an AI,
reflects the person's own words, asks one open question at a time along an arc that fits the kind
of session, never says a sentence twice, offers an exercise (and starts it only after a yes),
keeps the crisis path, and ends with a summary of what was actually said.

Sentences live in `phrasebank`; taking an utterance apart lives in `reflection`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.engine import phrasebank as pb
from therapy_desktop.engine.reflection import (
    AGREE, ASKS_IF_HUMAN, CRISIS, ENDING, FEELINGS, GOOD_FEELINGS, PLANS, REFUSE, SYMPTOMS, TOPICS, WANTS_EXERCISE, Heard,
    hear,
)
from therapy_desktop.therapy.tools import BREATHING_PATTERNS


@dataclass(frozen=True)
class Say:
    """What to say. `timed` gives sentences a minimum length in seconds (silence fills the rest),
    for pacing such as a breathing exercise; otherwise the text is spoken sentence by sentence."""

    text: str = ""
    timed: tuple[tuple[str, float], ...] = ()

    @property
    def parts(self) -> list[tuple[str, float]]:
        """What is synthesized and played one after the other: sentences, long ones cut at their
        commas and colons, so each piece is synthesized while the one before plays (a cached short
        opener followed by a long sentence would otherwise leave a gap)."""
        if self.timed:
            return list(self.timed)
        return [(chunk, 0.0) for sentence in split_sentences(self.text) for chunk in _clauses(sentence)]


@dataclass(frozen=True)
class CallTool:
    name: str
    arguments: dict[str, Any]


# The arc per kind of session, one move per turn; then a few turns of open listening, then the arc
# again with the phrasings not used yet.
ARCS: dict[str, tuple[str, ...]] = {
    "anxiety": ("worry", "worry", "body", "body", "thought", "thought", "step", "step"),
    "stress": ("plate", "plate", "control", "control", "boundary", "boundary", "kindness", "kindness"),
    "general": ("listen", "listen", "listen", "summarise", "help", "help"),
}
LISTEN_TURNS = 3
# Moves whose answer is the person's own next step (kept for the summary).
STEP_MOVES = frozenset({"step", "boundary", "kindness", "help"})
# After these moves the therapist offers the breathing exercise once, unprompted.
OFFER_AFTER = {"anxiety": "body", "stress": "control"}
BREATHING_PATTERN, BREATHING_CYCLES = "box", 2


def therapy_type_from_instructions(instructions: str) -> str:
    """Which script fits the session's instructions (a demo heuristic, nothing the client relies on)."""
    text = instructions.lower()
    scores = {"anxiety": text.count("anxi"), "stress": text.count("stress")}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else "general"


class Phrases:
    """Picks phrasings so no sentence is said twice in a session. Each bank is visited from a
    random start (sessions differ); a rendered template counts as new only if its words are."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._said: set[str] = set()
        self._start: dict[int, int] = {}

    def said(self, sentence: str) -> bool:
        return _key(sentence) in self._said

    def remember(self, text: str) -> None:
        for sentence in split_sentences(text):
            self._said.add(_key(sentence))

    def pick(self, bank: tuple[str, ...], *, ordered: bool = False, **slots: str) -> str | None:
        """The next phrasing not said yet (rendered with the slots), or None if all were. Each
        bank rotates, so a template is not reused while others are left; `ordered` banks start at
        their first phrasing (an arc's framing question), the others anywhere."""
        if not bank:
            return None
        start = self._start.setdefault(id(bank), 0 if ordered else self._rng.randrange(len(bank)))
        for step in range(len(bank)):
            index = (start + step) % len(bank)
            text = _capitalise(bank[index].format(**slots))
            if not any(self.said(sentence) for sentence in split_sentences(text)):
                self._start[id(bank)] = index + 1
                return text
        return None


@dataclass
class ScriptedTherapist:
    therapy_type: str = "general"
    seed: int | None = None
    turns: int = 0
    topics: list[str] = field(default_factory=list)
    feelings: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # the person's own words for what they would do
    heard: list[Heard] = field(default_factory=list)
    breathing_done: bool = False
    crisis: bool = False
    ended: bool = False
    greeted: bool = False
    offer_pending: bool = False
    offered_unprompted: bool = False
    said: list[str] = field(default_factory=list)  # everything said, in order (for tests and review)

    def __post_init__(self) -> None:
        self._phrases = Phrases(random.Random(self.seed))
        self._arc_turn = 0
        self._last_move: str | None = None
        self._asked: str | None = None  # the arc move whose question ended the last reply
        self._offer_turns = 0

    # -- the three ways the engine asks for a turn ----------------------------------------------

    def prompt(self) -> Say:
        """A response with nothing new to answer: the greeting first, then a gentle prompt."""
        if not self.greeted:
            self.greeted = True
            return self._say(self._pick(pb.GREETINGS))
        return self._say(self._pick(pb.PROMPTS, fallback=pb.QUESTIONS["listen"]))

    def reply(self, user_text: str) -> Say | CallTool:
        heard = hear(user_text)
        self.turns += 1
        self.greeted = True
        self._note(heard)
        text = heard.lower
        if CRISIS.search(text):
            return self._crisis_reply(heard)
        if ENDING.search(text):
            self.ended = True
            return CallTool("end_session_summary", self._summary())
        if self.offer_pending:
            # An offer stays open for the next two turns, unless declined: people answer in their own time.
            self._asked = None
            self._offer_turns -= 1
            self.offer_pending = self._offer_turns > 0
            if REFUSE.search(text) and not re.match(r"^(?:yes|yeah|sure|ok|okay)\b", text):
                self.offer_pending = False
                return self._say(self._pick(pb.DECLINED), self._question(self._next_move()))
            if AGREE.search(text) and not self.crisis:
                self.offer_pending = False
                self.breathing_done = True
                return CallTool("breathing_exercise", {"pattern": BREATHING_PATTERN, "cycles": BREATHING_CYCLES})
        if ASKS_IF_HUMAN.search(text):
            return self._say(self._pick(pb.AI_ANSWERS), self._pick(pb.AI_FOLLOW_UPS, fallback=pb.QUESTIONS["listen"]))
        if self.crisis:
            return self._crisis_follow_up(heard)
        if WANTS_EXERCISE.search(text):
            return self._offer(heard, requested=True)
        answered, self._asked = self._asked, None
        symptoms = bool(SYMPTOMS.search(text))
        after = OFFER_AFTER.get(self.therapy_type)
        if not self.offered_unprompted and not self.breathing_done and not REFUSE.search(text) and (
                symptoms or (after is not None and answered == after)):
            # Panic in their words, or they just said how it feels in their body: offer, once.
            self.offered_unprompted = True
            return self._offer(heard, requested=False, body=symptoms or self.therapy_type == "anxiety")
        move = self._next_move()
        reply = self._say(self._acknowledge(heard), self._reflect(heard), self._question(move))
        self._asked = move
        return reply

    def after_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Say:
        if name == "breathing_exercise":
            args = arguments or {}
            return self._remembered(guided_breathing(str(args.get("pattern", BREATHING_PATTERN)),
                                                     int(args.get("cycles", BREATHING_CYCLES)), self._phrases))
        if name == "end_session_summary":
            return self._say(self._pick(pb.GOODBYES))
        return self.prompt()

    # -- moves -------------------------------------------------------------------------------------

    def _next_move(self) -> str:
        """The arc's move for this turn; after the arc, a few turns of open listening, then round again."""
        arc = ARCS.get(self.therapy_type, ARCS["general"])
        position = self._arc_turn % (len(arc) + LISTEN_TURNS)
        self._arc_turn += 1
        move = arc[position] if position < len(arc) else "listen"
        self._last_move = move
        return move

    def _question(self, move: str) -> str | None:
        if move == "summarise":
            topics = self._topics_phrase()
            if topics:
                summary = self._pick(pb.QUESTIONS["summarise"], topics=topics, fallback=())
                if summary:
                    return f"{summary} {self._pick(pb.SUMMARY_CHECK, fallback=pb.QUESTIONS['listen'])}"
            move = "listen"
        return self._pick(pb.QUESTIONS.get(move, ()), fallback=pb.QUESTIONS["listen"], ordered=True)

    def _acknowledge(self, heard: Heard) -> str | None:
        """Neutral by default; a hard feeling gets a warmer one, a good one is welcomed."""
        feeling = heard.feeling or ""
        named = set(feeling.split(" and "))
        if named and named <= GOOD_FEELINGS:
            bank = pb.GOOD_ACKS
        elif named & (FEELINGS - GOOD_FEELINGS):
            bank = pb.HARD_ACKS
        else:
            bank = pb.ACKNOWLEDGEMENTS
        return self._pick(bank, fallback=pb.ACKNOWLEDGEMENTS) if bank is not pb.ACKNOWLEDGEMENTS \
            else self._pick(bank, fallback=())

    def _reflect(self, heard: Heard) -> str | None:
        """The feeling and the situation the person named, in their words; else their content words."""
        feeling, situation = heard.feeling, heard.situation
        if feeling and situation and (heard.situation_named or not heard.clause):
            found = self._phrases.pick(pb.REFLECT_BOTH, feeling=feeling, situation=situation)
            if found:
                return found
        if heard.clause:
            found = self._phrases.pick(pb.REFLECT_CLAUSE, clause=heard.clause)
            if found:
                return found
        if situation:
            found = self._phrases.pick(pb.REFLECT_SITUATION, situation=situation)
            if found:
                return found
        if feeling:
            found = self._phrases.pick(pb.REFLECT_FEELING, feeling=feeling)
            if found:
                return found
        if len(heard.words) <= 3 and not heard.topics:
            return None  # "yes", "okay, maybe": nothing of theirs worth saying back
        words = heard.span if heard.span and len(heard.span.split()) <= 4 else _key_words(heard)
        if words:
            return self._phrases.pick(pb.REFLECT_WORDS, words=words)
        return None

    def _offer(self, heard: Heard, *, requested: bool, body: bool = True) -> Say:
        """Acknowledge, say back what they said, then ask; the exercise starts only after a yes."""
        self.offer_pending, self._offer_turns = True, 2
        if requested:
            # No reflection: saying their request back ("breathing and exercises") only sounds like a parrot.
            return self._say(self._pick(pb.REQUEST_ACKS), self._pick(pb.REQUEST_OFFERS, fallback=pb.OFFERS))
        acks = pb.OFFER_ACKS if body else pb.LOAD_OFFER_ACKS
        return self._say(self._pick(acks, fallback=pb.HARD_ACKS), self._reflect(heard),
                         self._pick(pb.OFFERS, fallback=pb.REQUEST_OFFERS))

    def _crisis_reply(self, heard: Heard) -> Say:
        """Stop everything else, take it seriously, give the resources, ask about safety."""
        self.crisis, self.offer_pending = True, False
        return self._say(
            self._pick(pb.CRISIS_OPENINGS, fallback=pb.CRISIS_FOLLOW_UPS),
            self._pick(pb.CRISIS_RESOURCES),
            self._pick(pb.CRISIS_QUESTIONS, ordered=True),
        )

    def _crisis_follow_up(self, heard: Heard) -> Say:
        """After a crisis the conversation stays with safety: no exercises, no arc."""
        resources = self._pick(pb.CRISIS_RESOURCES, fallback=()) if self.turns % 2 == 0 else None
        return self._say(self._pick(pb.CRISIS_FOLLOW_UPS, fallback=pb.ACKNOWLEDGEMENTS), self._reflect(heard),
                         resources, self._pick(pb.CRISIS_QUESTIONS, fallback=pb.QUESTIONS["listen"], ordered=True))

    # -- bookkeeping -------------------------------------------------------------------------------

    def _note(self, heard: Heard) -> None:
        self.heard.append(heard)
        named = (heard.situation,) if heard.situation and heard.situation_named else ()
        for topic in (*heard.topics, *named):
            key = _topic_key(topic)
            if not any(key in _topic_key(t) or _topic_key(t) in key for t in self.topics):
                self.topics.append(topic)
        if heard.feeling and heard.feeling not in self.feelings:
            self.feelings.append(heard.feeling)
        if self._asked in STEP_MOVES and len(heard.content) >= 2 and not heard.text.endswith("?") \
                and PLANS.search(heard.lower) \
                and not REFUSE.search(heard.lower) and not ASKS_IF_HUMAN.search(heard.lower):
            self.steps.append(_shorten(heard.text))

    def _pick(self, bank: tuple[str, ...], fallback: tuple[str, ...] | None = None, *, ordered: bool = False,
              **slots: str) -> str | None:
        found = self._phrases.pick(bank, ordered=ordered, **slots)
        if found is None and fallback:
            found = self._phrases.pick(fallback)
        if found is None and fallback is None:
            # Every phrasing used (a very long session): any open question not said yet.
            for questions in pb.QUESTIONS.values():
                if "{" not in questions[0]:
                    found = self._phrases.pick(questions)
                    if found:
                        break
        return found

    def _say(self, *sentences: str | None) -> Say:
        text = " ".join(s for s in sentences if s) or self._last_resort()
        return self._remembered(Say(text))

    def _remembered(self, say: Say) -> Say:
        self._phrases.remember(say.text)
        self.said.append(say.text)
        return say

    def _last_resort(self) -> str:
        """Only after hundreds of turns has every phrasing been used; then a numbered check-in stays new."""
        n = len(self.said) + 1
        return f"I'm still listening, and this is our {_ordinal(n)} exchange. What's on your mind now?"

    def _topics_phrase(self) -> str:
        named = self.topics[-3:] or [f"feeling {f}" for f in self.feelings[-2:]]
        return _join(named)

    def _summary(self) -> dict[str, Any]:
        """What was actually said: the topics, the feelings in the person's words, a quote, their own steps."""
        sentences: list[str] = []
        if self.topics:
            sentences.append(pb.SUMMARY_TOPICS.format(topics=_join(self.topics[:6])))
        if self.feelings:
            sentences.append(pb.SUMMARY_FEELINGS.format(feelings=_join(self.feelings[:4])))
        quote = _best_quote(self.heard[:-1] or self.heard)
        if quote:
            sentences.append(pb.SUMMARY_QUOTE.format(quote=quote))
        if self.breathing_done:
            sentences.append(pb.SUMMARY_BREATHING.format(pattern=BREATHING_PATTERN))
        if self.crisis:
            sentences.append(pb.SUMMARY_CRISIS)
        steps = [pb.STEP_FROM_WORDS.format(step=step) for step in self.steps[-2:]]
        if self.breathing_done:
            steps.append(pb.STEP_BREATHING.format(pattern=BREATHING_PATTERN,
                                                  feeling_or_it=f"feeling {self.feelings[0]}" if self.feelings else "it"))
        if not steps:
            steps.append(pb.STEP_DEFAULT)
        if self.feelings:
            later = pb.MOOD_LATER.format(last=self.feelings[-1]) if len(self.feelings) > 1 else ""
            mood = pb.MOOD_FEELINGS.format(first=self.feelings[0], later=later)
        else:
            mood = pb.MOOD_UNKNOWN
        return {
            "summary": " ".join(sentences[:4]) or pb.SUMMARY_EMPTY,
            "key_topics": list(self.topics[:8]) or [f"feeling {f}" for f in self.feelings[:3]],
            "suggested_next_steps": steps,
            "mood_observation": mood,
        }


def guided_breathing(pattern: str = "box", cycles: int = 2, phrases: Phrases | None = None) -> Say:
    """The exercise paced in real time, phase by phase, as the tool's pattern says; with `phrases`
    the cues are ones not said yet in the session."""
    inhale, hold, exhale, rest = BREATHING_PATTERNS.get(pattern, BREATHING_PATTERNS["box"])
    cycles = max(1, min(int(cycles), 10))
    chooser = phrases or Phrases(random.Random(0))

    def cue(bank: tuple[str, ...], index: int) -> str:
        if phrases is None:
            return bank[min(index, len(bank) - 1)]
        found = chooser.pick(bank) or bank[index % len(bank)]
        chooser.remember(found)
        return found

    timed: list[tuple[str, float]] = [(cue(pb.BREATHING_START, 0), 0.0)]
    for cycle in range(cycles):
        timed.append((cue(pb.BREATHE_IN, cycle), float(inhale)))
        if hold:
            timed.append((cue(pb.HOLD, cycle), float(hold)))
        timed.append((cue(pb.BREATHE_OUT, cycle), float(exhale)))
        if rest:
            timed.append((cue(pb.REST, cycle), float(rest)))
    timed.append((cue(pb.BREATHING_END, 0), 0.0))
    return Say(" ".join(sentence for sentence, _ in timed), tuple(timed))


def _clauses(sentence: str, longest: int = 9) -> list[str]:
    if len(sentence.split()) <= longest:
        return [sentence]
    pieces = [p for p in re.split(r"(?<=[,:;])\s+", sentence) if p]
    chunks: list[str] = []
    for piece in pieces:  # never a piece of one or two words on its own
        if chunks and (len(piece.split()) < 3 or len(chunks[-1].split()) < 3):
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return chunks


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _topic_key(topic: str) -> str:
    """"your friend", "friends" and "a friend" are one topic."""
    words = [w for w in topic.lower().split() if w not in ("your", "a", "an", "the", "my")]
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


def _key(sentence: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", sentence.lower()).strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _key_words(heard: Heard) -> str:
    """One or two of the person's content words, the most telling first (topics, then the longest)."""
    words = list(heard.content)
    if not words:
        return ""
    ranked = sorted(words, key=lambda w: (w not in _TOPIC_WORDS, -len(w)))
    chosen = [w for w in words if w in ranked[:2]]
    return " and ".join(chosen)


def _best_quote(heard: list[Heard]) -> str:
    """The utterance that said the most (by content words), without a greeting, kept short."""
    candidates = [h for h in heard if len(h.content) >= 3 and not CRISIS.search(h.lower) and not h.text.endswith("?")]
    if not candidates:
        return ""
    best = max(candidates, key=lambda h: (h.feeling is not None, len(h.content))).text
    return _shorten(re.sub(r"^(?:(?:hi|hello|hey|well|so|um|uh)\b[,.!]*\s*)+", "", best, flags=re.IGNORECASE))


def _shorten(text: str, words: int = 16) -> str:
    parts = text.strip().rstrip(".!?").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_TOPIC_WORDS = frozenset(TOPICS)
