"""The engine's idea of a session: GA defaults, `session.update` merged in, and the same
rejections the real service makes (unknown or beta-era fields, a missing `type`, wrong types and
values: see session_schema)."""

from __future__ import annotations

import copy
from typing import Any

from therapy_desktop.engine.session_schema import MODELS, SESSION, VOICES, SessionConfigError

__all__ = ["DEFAULT_SESSION", "MODELS", "VOICES", "SessionConfigError", "merge_session"]

# Whose `type` picks their shape: an update replaces them whole, never mixes two shapes.
_REPLACED_WHOLE = {"turn_detection", "tool_choice", "truncation", "tracing", "prompt", "format"}

DEFAULT_SESSION: dict[str, Any] = {
    "type": "realtime",
    "model": "gpt-realtime",
    "instructions": "You are a helpful, supportive assistant.",
    "output_modalities": ["audio"],
    "tools": [],
    "tool_choice": "auto",
    "max_output_tokens": "inf",
    "tracing": None,
    "truncation": "auto",
    "prompt": None,
    "include": None,
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "transcription": None,
            "noise_reduction": None,
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 500,
                "idle_timeout_ms": None,
                "create_response": True,
                "interrupt_response": True,
            },
        },
        "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin", "speed": 1.0},
    },
}


def merge_session(current: dict[str, Any], update: Any, *, creating: bool = False) -> dict[str, Any]:
    """`current` with `update` applied, or `SessionConfigError` as the service would answer."""
    if not isinstance(update, dict):
        raise SessionConfigError("Invalid type for 'session': expected an object.", "session", "invalid_type")
    if "type" not in update:
        raise SessionConfigError("Missing required parameter: 'session.type'.", "session.type", "missing_required_parameter")
    SESSION(update, "session")  # every type and value, before anything is merged or read
    if "model" in update and not creating and update["model"] != current.get("model"):
        raise SessionConfigError("The model of a session cannot change once it has started.", "session.model")
    merged = copy.deepcopy(current)
    _deep_merge(merged, update)
    return merged


def _deep_merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key not in _REPLACED_WHOLE:
            _deep_merge(target[key], value)
        elif key == "turn_detection" and isinstance(value, dict) and value.get("type") == "server_vad":
            defaults = copy.deepcopy(DEFAULT_SESSION["audio"]["input"]["turn_detection"])
            defaults.update(value)
            target[key] = defaults
        else:
            target[key] = copy.deepcopy(value)
