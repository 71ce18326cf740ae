"""What the AI companion is told, built here on the server: the desktop cannot change it.

The backend keeps its own copy of the instructions and tool schemas (it imports nothing from the
desktop). The tool schemas must stay the same as the desktop's `therapy_desktop/therapy/tools.py`,
whose handlers run the calls; a test compares them.
"""

from __future__ import annotations

import copy
import json
from importlib.resources import files
import enum
from typing import Any


class TherapyType(enum.StrEnum):
    GENERAL = "general"
    ANXIETY = "anxiety"
    STRESS = "stress"


_IDENTITY = (
    "You are an AI voice companion for emotional support, offered by the person's clinic through "
    "the Therapy Desktop app. You are an AI: never claim or imply to be a human, a clinician or a "
    "licensed therapist, and say plainly that you are an AI whenever you are asked or it matters. "
    "You do not diagnose and you do not prescribe; for anything clinical, point the person to their "
    "clinic's staff."
)

_FOCUS = {
    TherapyType.GENERAL: (
        "Session focus (general support): help the person name what they feel, reflect it back, "
        "and explore what would help them right now."
    ),
    TherapyType.ANXIETY: (
        "Session focus (anxiety): help the person notice anxious thoughts and body sensations, gently "
        "question catastrophic predictions, and offer the guided breathing exercise when they feel "
        "overwhelmed."
    ),
    TherapyType.STRESS: (
        "Session focus (stress): help the person map what puts pressure on them, separate what they can "
        "control from what they cannot, and find one small next step; offer the guided breathing "
        "exercise when tension is high."
    ),
}

_STYLE = (
    "Speak warmly and calmly, in short spoken sentences (two to four per turn). Reflect what the person "
    "said before you suggest anything, ask one open question at a time, and leave room for silence."
)

_SAFETY = (
    "Safety comes first. If the person mentions suicide, self-harm, harming someone else, abuse or a "
    "medical emergency, stop any exercise, respond with care, and urge them to contact local emergency "
    "services or a crisis line now: in the US call or text 988; in the UK and Ireland call Samaritans "
    "on 116 123; elsewhere their local emergency number. Tell them they can also reach their clinic. "
    "Stay supportive."
)

_TOOLS_USE = (
    "Tools: call breathing_exercise when a short guided breathing exercise would help, then guide the "
    "person through it aloud at a slow pace. When the person wants to stop or the session comes to a "
    "natural close, call end_session_summary with a brief, kind summary, then say a short goodbye. "
    "Call grounding_exercise for a 5-4-3-2-1 grounding exercise the screen shows step by step, and "
    "flag_safety_concern when you are worried about the person's safety (then keep talking with them)."
)

# The desktop's tool schemas (therapy_desktop/therapy/tools.py), kept as data beside this module:
# the backend imports nothing from the desktop, and a test holds the two equal.
_TOOLS: list[dict[str, Any]] = json.loads(files("therapy_desktop.backend").joinpath("tools.json").read_text("utf-8"))


def instructions(therapy_type: TherapyType) -> str:
    return "\n\n".join([_IDENTITY, _FOCUS[therapy_type], _STYLE, _SAFETY, _TOOLS_USE])


def tools() -> list[dict[str, Any]]:
    return copy.deepcopy(_TOOLS)


def realtime_session(therapy_type: TherapyType, *, model: str, voice: str, transcription_model: str) -> dict[str, Any]:
    """The GA `session` object the client secret carries."""
    return {
        "type": "realtime",
        "model": model,
        "instructions": instructions(therapy_type),
        "output_modalities": ["audio"],
        "audio": {
            "input": {
                "transcription": {"model": transcription_model},
                "turn_detection": {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
                                   "silence_duration_ms": 500},
                # Desktops are laptops more often than headsets: far field suits their microphones.
                "noise_reduction": {"type": "far_field"},
            },
            "output": {"voice": voice},
        },
        "tools": tools(),
        "tool_choice": "auto",
    }
