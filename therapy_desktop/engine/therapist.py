"""The Demo therapist: a short script per kind of session that reacts to what the person says
(ending, breathing, crisis words, a few topics) and uses both tools, like a real model would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.therapy.tools import BREATHING_PATTERNS


@dataclass(frozen=True)
class Say:
    """What to say. `timed` gives sentences a minimum length in seconds (silence fills the rest),
    for pacing such as a breathing exercise; otherwise the text is spoken sentence by sentence."""

    text: str = ""
    timed: tuple[tuple[str, float], ...] = ()

    @property
    def parts(self) -> list[tuple[str, float]]:
        return list(self.timed) if self.timed else [(s, 0.0) for s in split_sentences(self.text)]


@dataclass(frozen=True)
class CallTool:
    name: str
    arguments: dict[str, Any]


_CRISIS = re.compile(
    r"(kill(ing)? myself|suicid\w*|end(ing)? (it all|my (own )?life)|take my (own )?life|(hurt|harm)(ing)? myself"
    r"|self[- ]harm|don'?t want to (live|be alive|be here)|want to die|better off dead)"
)
_ENDING = re.compile(r"\b(good ?bye|bye|that'?s all|that is all|end (the|this|our) session|stop (the|this|our) session|wrap (it )?up|finish (the|this|our) session)\b")
_BREATHING = re.compile(r"\b(breath\w*|breathe|calm (me )?down|panic\w*)\b")
_TOPICS = {
    "work": "work", "job": "your job", "boss": "your boss", "deadline": "deadlines", "exam": "exams",
    "school": "school", "sleep": "sleep", "family": "your family", "partner": "your relationship",
    "relationship": "your relationship", "money": "money", "friend": "your friends", "health": "your health",
}

_OPENERS = {
    "general": [
        "Thank you for sharing that with me. It sounds like {subject} been on your mind. "
        "What feels most important to talk about right now?",
        "I hear you. That sounds like a lot to carry. What would help you feel a little lighter today?",
        "That makes sense. When you notice that feeling, what do you usually do to look after yourself?",
    ],
    "anxiety": [
        "Thank you for telling me. It sounds like {subject} been making you anxious. "
        "Where do you notice that anxiety in your body?",
        "That sounds really uncomfortable. Anxious thoughts often predict the worst. "
        "What is the thought that keeps coming back?",
        "You're doing well by naming it. If a friend had that worry, what would you tell them?",
    ],
    "stress": [
        "Thank you for sharing that. It sounds like {subject} been putting a lot of pressure on you. "
        "What part of it feels most urgent?",
        "That is a lot at once. Let's separate what you can control from what you can't. "
        "What is one small thing within your control?",
        "That sounds like a good first step. When could you make time for it this week?",
    ],
}

_GOODBYE = (
    "Thank you for talking with me today. Remember that I'm an AI, so please reach out to someone "
    "you trust or a professional whenever things feel heavy. Take good care. Goodbye."
)
_CRISIS_REPLY = (
    "I'm really glad you told me, and I'm concerned about your safety. I'm an AI and can't help in an "
    "emergency. Please call your local emergency number now, or in the US call or text 988. "
    "Are you somewhere safe right now?"
)
_PROMPT = "I'm here and listening. What would you like to talk about?"


def therapy_type_from_instructions(instructions: str) -> str:
    """Which script fits the session's instructions (a demo heuristic, nothing the client relies on)."""
    text = instructions.lower()
    scores = {"anxiety": text.count("anxi"), "stress": text.count("stress")}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else "general"


@dataclass
class ScriptedTherapist:
    therapy_type: str = "general"
    turns: int = 0
    topics: list[str] = field(default_factory=list)
    breathing_done: bool = False
    ended: bool = False

    def reply(self, user_text: str) -> Say | CallTool:
        text = user_text.lower()
        self.turns += 1
        for word, topic in _TOPICS.items():
            if word in text and topic not in self.topics:
                self.topics.append(topic)
        if _CRISIS.search(text):
            return Say(_CRISIS_REPLY)
        if _ENDING.search(text):
            self.ended = True
            return CallTool("end_session_summary", self._summary())
        if _BREATHING.search(text) and not self.breathing_done:
            self.breathing_done = True
            return CallTool("breathing_exercise", {"pattern": "box", "cycles": 2})
        lines = _OPENERS.get(self.therapy_type, _OPENERS["general"])
        line = lines[min(self.turns - 1, len(lines) - 1)] if self.turns <= len(lines) else lines[-1]
        subject = f"things around {self.topics[-1]} have" if self.topics else "this has"
        return Say(line.format(subject=subject))

    def after_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Say:
        if name == "breathing_exercise":
            return guided_breathing(**(arguments or {}))
        if name == "end_session_summary":
            return Say(_GOODBYE)
        return Say(_PROMPT)

    def prompt(self) -> Say:
        return Say(_PROMPT)

    def _summary(self) -> dict[str, Any]:
        topics = self.topics or ["how you have been feeling"]
        about = ", ".join(topics)
        focus = {"anxiety": "the anxiety around it", "stress": "the pressure it puts on you"}.get(self.therapy_type, "how it affects you")
        practised = " We practised box breathing together." if self.breathing_done else ""
        steps = ["Try the box breathing exercise once a day"] if self.breathing_done else []
        steps.append("Notice one moment each day when you feel a little calmer")
        return {
            "summary": f"We talked about {about} and {focus}.{practised} Naming what is hard is an important step.",
            "key_topics": topics,
            "suggested_next_steps": steps,
            "mood_observation": "Engaged and open to trying small steps.",
        }


def guided_breathing(pattern: str = "box", cycles: int = 2) -> Say:
    """The exercise paced in real time, phase by phase, as the tool's pattern says."""
    inhale, hold, exhale, rest = BREATHING_PATTERNS.get(pattern, BREATHING_PATTERNS["box"])
    cycles = max(1, min(int(cycles), 10))
    timed: list[tuple[str, float]] = [("Let's breathe together. Follow the pacer on your screen.", 0.0)]
    for cycle in range(cycles):
        timed.append(("Breathe in slowly." if cycle == 0 else "Breathe in.", float(inhale)))
        if hold:
            timed.append(("Hold.", float(hold)))
        timed.append(("And breathe out." if cycle == 0 else "Breathe out.", float(exhale)))
        if rest:
            timed.append(("Rest.", float(rest)))
    timed.append(("Well done. How do you feel now?", 0.0))
    return Say(" ".join(sentence for sentence, _ in timed), tuple(timed))


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
