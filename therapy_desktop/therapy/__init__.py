"""Pure therapy domain: session types, instructions, tools and safety texts. No I/O."""

from therapy_desktop.therapy.grounding import GROUNDING_STEPS, GroundingExercise, GroundingStep
from therapy_desktop.therapy.instructions import build_instructions
from therapy_desktop.therapy.tools import (
    BreathingExercise,
    SessionSummary,
    ToolResult,
    run_tool,
    tool_definitions,
)
from therapy_desktop.therapy.types import THERAPY_PROFILES, TherapyProfile, TherapyType

__all__ = [
    "GROUNDING_STEPS",
    "THERAPY_PROFILES",
    "BreathingExercise",
    "GroundingExercise",
    "GroundingStep",
    "SessionSummary",
    "TherapyProfile",
    "TherapyType",
    "ToolResult",
    "build_instructions",
    "run_tool",
    "tool_definitions",
]
