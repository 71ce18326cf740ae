"""The kinds of session a person can choose."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TherapyType(StrEnum):
    GENERAL = "general"
    ANXIETY = "anxiety"
    STRESS = "stress"


@dataclass(frozen=True)
class TherapyProfile:
    type: TherapyType
    title: str
    blurb: str
    focus: str  # what the companion concentrates on; goes into the instructions


THERAPY_PROFILES: dict[TherapyType, TherapyProfile] = {
    TherapyType.GENERAL: TherapyProfile(
        TherapyType.GENERAL,
        "General support",
        "Talk through whatever is on your mind.",
        "Offer general emotional support: help the person name what they feel, reflect it back, "
        "and explore what would help them right now.",
    ),
    TherapyType.ANXIETY: TherapyProfile(
        TherapyType.ANXIETY,
        "Anxiety",
        "Work with worry, panic and racing thoughts.",
        "Focus on anxiety: help the person notice anxious thoughts and body sensations, gently "
        "question catastrophic predictions (CBT style), and offer the guided breathing exercise "
        "when they feel overwhelmed.",
    ),
    TherapyType.STRESS: TherapyProfile(
        TherapyType.STRESS,
        "Stress",
        "Untangle pressure from work, study or life.",
        "Focus on stress: help the person map what is putting pressure on them, separate what they "
        "can control from what they cannot, and find one small next step; offer the guided "
        "breathing exercise when tension is high.",
    ),
}
