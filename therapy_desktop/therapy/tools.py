"""The tools the model may call, and what running them means for the session.

Arguments come from the model as a JSON string: they are parsed defensively, and a bad call
gets an error output the model can recover from instead of an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from therapy_desktop.therapy import grounding
from therapy_desktop.therapy.grounding import GroundingExercise

BREATHING_EXERCISE = "breathing_exercise"
END_SESSION_SUMMARY = "end_session_summary"
FLAG_SAFETY_CONCERN = "flag_safety_concern"
SAFETY_LEVELS = ("concern", "crisis")
_MAX_REASON = 500

# Seconds for each phase: (inhale, hold, exhale, hold-after-exhale).
BREATHING_PATTERNS: dict[str, tuple[int, int, int, int]] = {
    "box": (4, 4, 4, 4),
    "4-7-8": (4, 7, 8, 0),
    "coherent": (5, 0, 5, 0),
}
_MAX_CYCLES = 10

_TOOL_SCHEMAS: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": BREATHING_EXERCISE,
        "description": (
            "Start a guided breathing exercise shown on screen with a pacer. Use it when the "
            "person feels anxious, stressed or overwhelmed and agrees to try breathing together."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "pattern": {
                    "type": "string",
                    "enum": sorted(BREATHING_PATTERNS),
                    "description": "box: 4-4-4-4; 4-7-8: inhale 4, hold 7, exhale 8; coherent: 5 in, 5 out.",
                },
                "cycles": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": _MAX_CYCLES,
                    "description": "How many breathing cycles to guide.",
                },
            },
            "required": ["pattern", "cycles"],
            "additionalProperties": False,
        },
    },
    {
        "type": "function",
        "name": END_SESSION_SUMMARY,
        "description": (
            "End the session with a short summary the person can keep. Call it when the person "
            "wants to stop or the conversation reaches a natural close, then say goodbye."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "summary": {"type": "string", "description": "Two to four sentences on what was discussed."},
                "key_topics": {"type": "array", "items": {"type": "string"}},
                "what_helped": {"type": "array", "items": {"type": "string"}, "description": "What eased things, if anything."},
                "suggested_next_steps": {"type": "array", "items": {"type": "string"}},
                "mood_observation": {"type": "string", "description": "How the person seemed, in their own words where possible."},
            },
            "required": ["summary"],
            "additionalProperties": False,
        },
    },
    {
        "type": "function",
        "name": FLAG_SAFETY_CONCERN,
        "description": (
            "Tell the app you are worried about the person's safety, so it shows crisis resources for "
            "their region on screen. Use level crisis for suicidal thoughts (direct or indirect), a plan "
            "or means, goodbyes, self-harm, intent to harm someone, abuse or danger; use concern when you "
            "are worried but it is unclear. Keep talking with the person after calling it."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "level": {"type": "string", "enum": list(SAFETY_LEVELS)},
                "reason": {"type": "string", "description": "A few words on what worried you, for the session record."},
            },
            "required": ["level", "reason"],
            "additionalProperties": False,
        },
    },
    grounding.TOOL_SCHEMA,
]


def tool_definitions() -> list[dict[str, Any]]:
    """The tools in the GA `session.tools` shape (a fresh copy: callers may not mutate ours)."""
    return json.loads(json.dumps(_TOOL_SCHEMAS))


@dataclass(frozen=True)
class BreathingExercise:
    pattern: str
    cycles: int
    phases: tuple[int, int, int, int]

    @property
    def seconds(self) -> int:
        return sum(self.phases) * self.cycles


@dataclass(frozen=True)
class SessionSummary:
    summary: str
    key_topics: tuple[str, ...] = ()
    suggested_next_steps: tuple[str, ...] = ()
    mood_observation: str = ""
    what_helped: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafetyConcern:
    """The model flagged a safety concern: the session raises the crisis flag (net `model_tool`)."""

    level: str  # "concern" | "crisis"
    reason: str

    @property
    def is_crisis(self) -> bool:
        return self.level == "crisis"


@dataclass(frozen=True)
class ToolResult:
    """What a tool call produced: the output for the model and, when it worked, its effect."""

    name: str
    call_id: str
    output: dict[str, Any]
    effect: BreathingExercise | SessionSummary | SafetyConcern | GroundingExercise | None = None
    ends_session: bool = False
    error: str | None = field(default=None)

    @property
    def output_json(self) -> str:
        return json.dumps(self.output)


def run_tool(name: str, call_id: str, arguments: str) -> ToolResult:
    """Run one model tool call. Never raises: bad calls produce an error output."""
    try:
        args = json.loads(arguments or "{}")
        if not isinstance(args, dict):
            raise ValueError("arguments must be a JSON object")
        if name == BREATHING_EXERCISE:
            return _breathing(call_id, args)
        if name == END_SESSION_SUMMARY:
            return _summary(call_id, args)
        if name == FLAG_SAFETY_CONCERN:
            return _safety_concern(call_id, args)
        if name == grounding.GROUNDING_EXERCISE:
            return ToolResult(name, call_id, grounding.grounding_output(), effect=GroundingExercise())
        raise ValueError(f"unknown tool {name!r}")
    except Exception as exc:  # noqa: BLE001 - the model's input can be anything (1e999, deep nesting…)
        message = f"{name} could not run: {exc}"
        return ToolResult(name, call_id, {"ok": False, "error": message}, error=message)


def _breathing(call_id: str, args: dict[str, Any]) -> ToolResult:
    pattern = str(args.get("pattern", "box"))
    if pattern not in BREATHING_PATTERNS:
        raise ValueError(f"pattern must be one of {sorted(BREATHING_PATTERNS)}")
    cycles = int(args.get("cycles", 4))
    cycles = max(1, min(_MAX_CYCLES, cycles))
    exercise = BreathingExercise(pattern, cycles, BREATHING_PATTERNS[pattern])
    inhale, hold, exhale, rest = exercise.phases
    output = {
        "ok": True,
        "status": "started",
        "pattern": pattern,
        "cycles": cycles,
        "phase_seconds": {"inhale": inhale, "hold": hold, "exhale": exhale, "rest": rest},
        "total_seconds": exercise.seconds,
        "note": "A pacer is on the person's screen. Guide the breaths aloud, slowly.",
    }
    return ToolResult(BREATHING_EXERCISE, call_id, output, effect=exercise)


def _strings(value: Any) -> tuple[str, ...]:
    """Lenient, as models really send: a string where a list belongs, numbers, blanks, nothing."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(text for v in items if v is not None and (text := str(v).strip()))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_strings(value))
    return "" if value is None else str(value).strip()


def _summary(call_id: str, args: dict[str, Any]) -> ToolResult:
    # A missing or odd field never blocks the end: the session still closes with what came.
    summary = SessionSummary(
        summary=_text(args.get("summary")),
        key_topics=_strings(args.get("key_topics")),
        suggested_next_steps=_strings(args.get("suggested_next_steps")),
        mood_observation=_text(args.get("mood_observation")),
        what_helped=_strings(args.get("what_helped")),
    )
    output = {"ok": True, "status": "saved", "note": "Say a brief goodbye; the session ends after it."}
    return ToolResult(END_SESSION_SUMMARY, call_id, output, effect=summary, ends_session=True)


_SAFETY_NOTES = {
    "crisis": (
        "Crisis resources for the person's region are now on their screen. Stay with them: keep "
        "listening, stop any exercise, encourage contacting a crisis line or emergency services, "
        "and do not end the session."
    ),
    "concern": (
        "Noted. Ask gently how safe they are right now, and mention that crisis lines are there for "
        "them. If they are at risk, call flag_safety_concern again with level crisis."
    ),
}


def _safety_concern(call_id: str, args: dict[str, Any]) -> ToolResult:
    level = str(args.get("level", "")).strip().lower()
    if level not in SAFETY_LEVELS:
        # The model meant to flag something: a malformed level still counts, as a concern.
        level = "concern"
    reason = " ".join(str(args.get("reason", "")).split())[:_MAX_REASON]
    concern = SafetyConcern(level, reason)
    output = {"ok": True, "status": "flagged", "level": level, "note": _SAFETY_NOTES[level]}
    return ToolResult(FLAG_SAFETY_CONCERN, call_id, output, effect=concern)
