"""The engine's idea of a session: GA defaults, `session.update` merged in, and the same
rejections the real service makes (unknown or beta-era fields, a missing `type`)."""

from __future__ import annotations

import copy
from typing import Any

MODELS = {
    "gpt-realtime",
    "gpt-realtime-mini",
    "gpt-realtime-1.5",
    "gpt-realtime-2",
    "gpt-realtime-2.1",
    "gpt-realtime-2.1-mini",
}
VOICES = {"marin", "cedar", "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"}

_ALLOWED: dict[str, set[str]] = {
    "session": {
        "type", "model", "instructions", "output_modalities", "audio", "tools", "tool_choice",
        "max_output_tokens", "include", "prompt", "tracing", "truncation", "reasoning", "parallel_tool_calls",
    },
    "session.audio": {"input", "output"},
    "session.audio.input": {"format", "noise_reduction", "transcription", "turn_detection"},
    "session.audio.output": {"format", "speed", "voice"},
}

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


class SessionConfigError(ValueError):
    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


def merge_session(current: dict[str, Any], update: Any, *, creating: bool = False) -> dict[str, Any]:
    """`current` with `update` applied, or `SessionConfigError` as the service would answer."""
    if not isinstance(update, dict):
        raise SessionConfigError("Invalid type for 'session': expected an object.", "session")
    if update.get("type") != "realtime":
        raise SessionConfigError("Missing required parameter: 'session.type'.", "session.type")
    _check_keys(update, "session")
    if "model" in update:
        if update["model"] not in MODELS:
            raise SessionConfigError(f"Invalid value: '{update['model']}'. Supported models: {sorted(MODELS)}.", "session.model")
        if not creating and update["model"] != current.get("model"):
            raise SessionConfigError("The model of a session cannot change once it has started.", "session.model")
    voice = ((update.get("audio") or {}).get("output") or {}).get("voice")
    if voice is not None and voice not in VOICES:
        raise SessionConfigError(f"Invalid value: '{voice}'. Supported voices: {sorted(VOICES)}.", "session.audio.output.voice")
    turn = ((update.get("audio") or {}).get("input") or {}).get("turn_detection")
    if turn is not None and (not isinstance(turn, dict) or turn.get("type") not in ("server_vad", "semantic_vad")):
        raise SessionConfigError("Invalid turn_detection: type must be 'server_vad' or 'semantic_vad'.",
                                 "session.audio.input.turn_detection")
    merged = copy.deepcopy(current)
    _deep_merge(merged, update)
    return merged


def _check_keys(value: dict[str, Any], path: str) -> None:
    allowed = _ALLOWED.get(path)
    if allowed is None:
        return
    for key, child in value.items():
        if key not in allowed:
            raise SessionConfigError(f"Unknown parameter: '{path}.{key}'.", f"{path}.{key}")
        if isinstance(child, dict):
            _check_keys(child, f"{path}.{key}")


def _deep_merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key != "turn_detection":
            _deep_merge(target[key], value)
        elif key == "turn_detection" and isinstance(value, dict) and value.get("type") == "server_vad":
            defaults = copy.deepcopy(DEFAULT_SESSION["audio"]["input"]["turn_detection"])
            defaults.update(value)
            target[key] = defaults
        else:
            target[key] = copy.deepcopy(value)
