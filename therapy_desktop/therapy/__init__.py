"""Pure therapy domain: session types, instructions, tools, and the safety rules and texts. No I/O."""

from therapy_desktop.therapy.consent import CONSENT_VERSION, consent_text, needs_consent
from therapy_desktop.therapy.crisis import CrisisAssessment, CrisisKind, Cue, classify
from therapy_desktop.therapy.crisis_answers import answer_is_crisis
from therapy_desktop.therapy.disclosure import DisclosurePolicy, DisclosureReason, asks_if_human
from therapy_desktop.therapy.grounding import GROUNDING_STEPS, GroundingExercise, GroundingStep
from therapy_desktop.therapy.instructions import FIRST_RESPONSE_INSTRUCTIONS, REDISCLOSE_INSTRUCTIONS, build_instructions
from therapy_desktop.therapy.resources import CrisisLine, CrisisResources, crisis_resources, region_from_locale
from therapy_desktop.therapy.safety import AI_DISCLOSURE, CRISIS_RESOURCES, DISCLOSURE_LINE, GREETING
from therapy_desktop.therapy.safety_plan import Contact, SafetyPlan, SafetyPlanError
from therapy_desktop.therapy.safety_state import CrisisFlag, FlagChange, FlagRecord, Net, needs_check_in
from therapy_desktop.therapy.tools import (
    BreathingExercise,
    SafetyConcern,
    SessionSummary,
    ToolResult,
    run_tool,
    tool_definitions,
)
from therapy_desktop.therapy.types import THERAPY_PROFILES, TherapyProfile, TherapyType

__all__ = [
    "AI_DISCLOSURE",
    "CONSENT_VERSION",
    "CRISIS_RESOURCES",
    "DISCLOSURE_LINE",
    "FIRST_RESPONSE_INSTRUCTIONS",
    "GREETING",
    "GROUNDING_STEPS",
    "REDISCLOSE_INSTRUCTIONS",
    "THERAPY_PROFILES",
    "BreathingExercise",
    "Contact",
    "CrisisAssessment",
    "CrisisFlag",
    "CrisisKind",
    "CrisisLine",
    "CrisisResources",
    "Cue",
    "DisclosurePolicy",
    "DisclosureReason",
    "FlagChange",
    "FlagRecord",
    "GroundingExercise",
    "GroundingStep",
    "Net",
    "SafetyConcern",
    "SafetyPlan",
    "SafetyPlanError",
    "SessionSummary",
    "TherapyProfile",
    "TherapyType",
    "ToolResult",
    "answer_is_crisis",
    "asks_if_human",
    "build_instructions",
    "classify",
    "consent_text",
    "crisis_resources",
    "needs_check_in",
    "needs_consent",
    "region_from_locale",
    "run_tool",
    "tool_definitions",
]
