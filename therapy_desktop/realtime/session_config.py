"""The GA `session` object: what the model is told and how it hears and speaks.

The choices offered to a person (models, voices, transcription models) come from the `openai`
SDK the project pins, so they follow the service's own schema instead of a list kept by hand.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from openai.types.realtime.audio_transcription import AudioTranscription
from openai.types.realtime.realtime_audio_config_output import RealtimeAudioConfigOutput
from openai.types.realtime.realtime_session_create_request import RealtimeSessionCreateRequest

DEFAULT_VOICE = "marin"
DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-mini-transcribe"
NoiseReduction = Literal["near_field", "far_field"]
Eagerness = Literal["low", "medium", "high", "auto"]
EAGERNESS: tuple[Eagerness, ...] = ("auto", "low", "medium", "high")
SPEED_RANGE = (0.25, 1.5)  # the service's bounds for `audio.output.speed`


def _literals(annotation: Any) -> list[str]:
    """Every string of the `Literal[...]`s inside a (possibly nested) Union annotation."""
    if typing.get_origin(annotation) is Literal:
        return [a for a in typing.get_args(annotation) if isinstance(a, str)]
    return [value for arg in typing.get_args(annotation) for value in _literals(arg)]


def _version(name: str) -> tuple[float, bool]:
    """Sort key: newer first, full before mini (`gpt-realtime` itself is version 1)."""
    match = re.match(r"gpt-realtime(?:-(\d+(?:\.\d+)?))?", name)
    return (float(match.group(1)) if match and match.group(1) else 1.0, "mini" in name)


def realtime_models() -> list[str]:
    """The GA speech-to-speech models of the SDK, newest first; dated snapshots and previews left out."""
    names = {
        n
        for n in _literals(RealtimeSessionCreateRequest.model_fields["model"].annotation)
        if n.startswith("gpt-realtime") and not re.search(r"\d{4}-\d{2}-\d{2}$", n)
    }
    return sorted(names, key=lambda n: (-_version(n)[0], _version(n)[1]))


def voices() -> list[str]:
    return list(dict.fromkeys(_literals(RealtimeAudioConfigOutput.model_fields["voice"].annotation)))


def transcription_models() -> list[str]:
    """Models that transcribe the person's speech (not the diarizing one: it has no live mode)."""
    names = _literals(AudioTranscription.model_fields["model"].annotation)
    return [n for n in dict.fromkeys(names) if "diarize" not in n and not re.search(r"\d{4}-\d{2}-\d{2}$", n)]


def _default_model() -> str:
    models = realtime_models()
    return "gpt-realtime-2.1" if "gpt-realtime-2.1" in models else next(
        (m for m in models if "mini" not in m), "gpt-realtime"
    )


DEFAULT_MODEL = _default_model()


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
