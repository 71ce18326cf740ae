"""The 5-4-3-2-1 grounding exercise: five senses, counted down, shown on screen step by step.

The window shows the steps as a list with the current one marked; the AI companion walks the
person through them aloud, one step per message, and the person can move on themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GROUNDING_EXERCISE = "grounding_exercise"


@dataclass(frozen=True)
class GroundingStep:
    count: int
    sense: str  # "see", "hear" …: what the person notices
    prompt: str  # the line shown on screen


GROUNDING_STEPS: tuple[GroundingStep, ...] = (
    GroundingStep(5, "see", "5 things you can see"),
    GroundingStep(4, "hear", "4 things you can hear"),
    GroundingStep(3, "touch", "3 things you can touch"),
    GroundingStep(2, "smell", "2 things you can smell"),
    GroundingStep(1, "taste", "1 thing you can taste"),
)


@dataclass(frozen=True)
class GroundingExercise:
    steps: tuple[GroundingStep, ...] = GROUNDING_STEPS


TOOL_SCHEMA: dict[str, Any] = {
    "type": "function",
    "name": GROUNDING_EXERCISE,
    "description": (
        "Start the 5-4-3-2-1 grounding exercise. The person's screen then lists five steps - 5 things "
        "they can see, 4 they can hear, 3 they can touch, 2 they can smell, 1 they can taste - with the "
        "current step marked; the screen moves to the next step each time you speak, and the person can "
        "also move on with a button. Use it when the person feels panicky, detached or overwhelmed and "
        "agrees to try it. Then guide one step per turn, in that order, and wait for their answer."
    ),
    "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
}


def grounding_output() -> dict[str, Any]:
    """What the model hears back: the steps now on screen."""
    return {
        "ok": True,
        "status": "started",
        "steps": [step.prompt for step in GROUNDING_STEPS],
        "note": "The steps are listed on the person's screen with the first marked. Guide one step per turn.",
    }


# What the model hears when the person finishes or stops the steps on screen.
NOTE_COMPLETED = "The person went through all {total} steps of the grounding exercise on screen."
NOTE_STOPPED = "The person stopped the grounding exercise on screen after {done} of {total} steps."
