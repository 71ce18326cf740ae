"""The GA `session` object: what the model is told and how it hears and speaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DEFAULT_MODEL = "gpt-realtime"
DEFAULT_VOICE = "marin"
DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-mini-transcribe"


@dataclass(frozen=True)
class TurnDetection:
    """Server VAD: the service decides when the person has finished speaking."""

    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "server_vad",
            "threshold": self.threshold,
            "prefix_padding_ms": self.prefix_padding_ms,
            "silence_duration_ms": self.silence_duration_ms,
        }


@dataclass(frozen=True)
class SessionConfig:
    instructions: str
    tools: list[dict[str, Any]] = field(default_factory=list)
    model: str = DEFAULT_MODEL
    voice: str = DEFAULT_VOICE
    transcription_model: str = DEFAULT_TRANSCRIPTION_MODEL
    turn_detection: TurnDetection = field(default_factory=TurnDetection)
    noise_reduction: Literal["near_field", "far_field"] | None = "near_field"

    def to_session(self) -> dict[str, Any]:
        """The GA `session` object, as used by `session.update` and `client_secrets`."""
        audio_input: dict[str, Any] = {
            "transcription": {"model": self.transcription_model},
            "turn_detection": self.turn_detection.to_dict(),
        }
        if self.noise_reduction:
            audio_input["noise_reduction"] = {"type": self.noise_reduction}
        session: dict[str, Any] = {
            "type": "realtime",
            "model": self.model,
            "instructions": self.instructions,
            "output_modalities": ["audio"],
            "audio": {"input": audio_input, "output": {"voice": self.voice}},
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
