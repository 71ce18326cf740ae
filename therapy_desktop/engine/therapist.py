"""The Demo therapist: a short script per kind of session that reacts to what the person says
(ending, breathing, crisis words, a few topics) and uses both tools, like a real model would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class CallTool:
    name: str
    arguments: dict[str, Any]


_CRISIS = re.compile(r"\b(kill myself|suicid\w*|end my life|hurt myself|self[- ]harm|don'?t want to (live|be alive))\b")
_ENDING = re.compile(r"\b(good ?bye|bye|that'?s all|that is all|end (the|this|our) session|stop (the|this|our) session|wrap (it )?up|finish (the|this|our) session)\b")
_BREATHING = re.compile(r"\b(breath\w*|breathe|calm (me )?down|panic\w*)\b")
_TOPICS = {
    "work": "work", "job": "your job", "boss": "your boss", "deadline": "deadlines", "exam": "exams",
    "school": "school", "sleep": "sleep", "family": "your family", "partner": "your relationship",
    "relationship": "your relationship", "money": "money", "friend": "your friends", "health": "your health",
}

_OPENERS = {
    "general": [
        "Thank you for sharing that with me. It sounds like {topic} has been on your mind. "
        "What feels most important to talk about right now?",
        "I hear you. That sounds like a lot to carry. What would help you feel a little lighter today?",
        "That makes sense. When you notice that feeling, what do you usually do to look after yourself?",
    ],
    "anxiety": [
        "Thank you for telling me. It sounds like {topic} has been making you anxious. "
        "Where do you notice that anxiety in your body?",
        "That sounds really uncomfortable. Anxious thoughts often predict the worst. "
        "What is the thought that keeps coming back?",
        "You're doing well by naming it. If a friend had that worry, what would you tell them?",
    ],
    "stress": [
        "Thank you for sharing that. It sounds like {topic} has been putting a lot of pressure on you. "
        "What part of it feels most urgent?",
        "That is a lot at once. Let's separate what you can control from what you can't. "
        "What is one small thing within your control?",
        "That sounds like a good first step. When could you make time for it this week?",
    ],
}

_GUIDED_BREATHING = (
    "Let's breathe together. Breathe in slowly through your nose, two, three, four. "
    "Hold it gently. And breathe out slowly, two, three, four. "
    "Once more, in. And out. Well done. How do you feel now?"
)
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
        if _ENDING.search(text) or self.turns >= 8:
            self.ended = True
            return CallTool("end_session_summary", self._summary())
        if _BREATHING.search(text) and not self.breathing_done:
            self.breathing_done = True
            return CallTool("breathing_exercise", {"pattern": "box", "cycles": 2})
        lines = _OPENERS.get(self.therapy_type, _OPENERS["general"])
        line = lines[min(self.turns - 1, len(lines) - 1)] if self.turns <= len(lines) else lines[-1]
        return Say(line.format(topic=self.topics[-1] if self.topics else "what you described"))

    def after_tool(self, name: str) -> Say:
        if name == "breathing_exercise":
            return Say(_GUIDED_BREATHING)
        if name == "end_session_summary":
            return Say(_GOODBYE)
        return Say(_PROMPT)

    def prompt(self) -> Say:
        return Say(_PROMPT)

    def _summary(self) -> dict[str, Any]:
        topics = self.topics or ["how you have been feeling"]
        about = ", ".join(topics)
        focus = {"anxiety": "anxious feelings", "stress": "sources of stress"}.get(self.therapy_type, "what is on your mind")
        steps = ["Try the box breathing exercise once a day"] if self.breathing_done else []
        steps.append("Notice one moment each day when you feel a little calmer")
        return {
            "summary": f"We talked about {about} and explored {focus}. You named what has been hard and "
            "looked at one small step forward.",
            "key_topics": topics,
            "suggested_next_steps": steps,
            "mood_observation": "Engaged and open to trying small steps.",
        }


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
