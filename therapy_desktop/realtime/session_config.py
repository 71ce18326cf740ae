"""The GA `session` object: what the model is told and how it hears and speaks.

The choices offered to a person (models, voices, transcription models) are the GA names of the
`openai` SDK the tests pin (3.57): the app does not import the SDK at run time (it is a test
dependency, and not in the bundle); tests/realtime/test_session_choices.py checks these lists
against the SDK's own literals, so a new SDK that adds or retires a name fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Newest first, full before mini. gpt-realtime and gpt-realtime-mini are expected to retire in
# January 2027: the default is the newest full model.
REALTIME_MODELS: tuple[str, ...] = (
    "gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2", "gpt-realtime-1.5", "gpt-realtime", "gpt-realtime-mini",
)
VOICES: tuple[str, ...] = ("marin", "cedar", "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")
# Live transcription of the person's speech (the diarizing model has no live mode).
TRANSCRIPTION_MODELS: tuple[str, ...] = (
    "gpt-4o-mini-transcribe", "gpt-4o-transcribe", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper", "whisper-1",
)
DEFAULT_VOICE = "marin"
DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-mini-transcribe"
NoiseReduction = Literal["near_field", "far_field"]
Eagerness = Literal["low", "medium", "high", "auto"]
EAGERNESS: tuple[Eagerness, ...] = ("auto", "low", "medium", "high")
SPEED_RANGE = (0.25, 1.5)  # the service's bounds for `audio.output.speed`
DEFAULT_MODEL = REALTIME_MODELS[0]


def realtime_models() -> list[str]:
    return list(REALTIME_MODELS)


def voices() -> list[str]:
    return list(VOICES)


def transcription_models() -> list[str]:
    return list(TRANSCRIPTION_MODELS)


@dataclass(frozen=True)
class TurnDetection:
    """Server VAD: the service decides from the sound level when the person has finished speaking.
    `idle_timeout_ms`: after this much silence the model gently prompts the person (None: never)."""

    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500
    idle_timeout_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        turn: dict[str, Any] = {
            "type": "server_vad",
            "threshold": self.threshold,
            "prefix_padding_ms": self.prefix_padding_ms,
            "silence_duration_ms": self.silence_duration_ms,
        }
        if self.idle_timeout_ms is not None:
            turn["idle_timeout_ms"] = self.idle_timeout_ms
        return turn


@dataclass(frozen=True)
class SemanticTurnDetection:
    """Semantic VAD: a model judges from the words whether the person has finished."""

    eagerness: Eagerness = "auto"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "semantic_vad", "eagerness": self.eagerness}


@dataclass(frozen=True)
class SessionConfig:
    instructions: str
    tools: list[dict[str, Any]] = field(default_factory=list)
    model: str = DEFAULT_MODEL
    voice: str = DEFAULT_VOICE
    transcription_model: str = DEFAULT_TRANSCRIPTION_MODEL
    turn_detection: TurnDetection | SemanticTurnDetection = field(default_factory=TurnDetection)
    noise_reduction: NoiseReduction | None = "near_field"
    speed: float = 1.0

    def to_session(self) -> dict[str, Any]:
        """The GA `session` object, as used by `session.update` and `client_secrets`."""
        audio_input: dict[str, Any] = {
            "transcription": {"model": self.transcription_model},
            "turn_detection": self.turn_detection.to_dict(),
        }
        if self.noise_reduction:
            audio_input["noise_reduction"] = {"type": self.noise_reduction}
        output: dict[str, Any] = {"voice": self.voice}
        if self.speed != 1.0:
            output["speed"] = self.speed
        session: dict[str, Any] = {
            "type": "realtime",
            "model": self.model,
            "instructions": self.instructions,
            "output_modalities": ["audio"],
            "audio": {"input": audio_input, "output": output},
        }
        if self.tools:
            session["tools"] = self.tools
            session["tool_choice"] = "auto"
        return session

    def to_update(self) -> dict[str, Any]:
        """The `session` of a `session.update` sent on a live call: `model` is fixed once the call
        exists, so it is left out."""
        session = self.to_session()
        del session["model"]
        return session
