"""The GA `session` object's shape (openai.types.realtime.RealtimeSessionCreateRequest), checked
before anything reads it: a wrong type or value is the service's 400, never an engine crash later.

Each check is `check(value, path)` and raises `SessionConfigError` naming the parameter."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any, str], None]

MODELS = {
    "gpt-realtime",
    "gpt-realtime-mini",
    "gpt-realtime-1.5",
    "gpt-realtime-2",
    "gpt-realtime-2.1",
    "gpt-realtime-2.1-mini",
}
VOICES = {"marin", "cedar", "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"}
MAX_TOOLS = 128


class SessionConfigError(ValueError):
    """A rejected session, with the parameter and code the service would name."""

    def __init__(self, message: str, param: str, code: str = "invalid_value") -> None:
        super().__init__(message)
        self.param = param
        self.code = code


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _wrong_type(value: Any, path: str, expected: str) -> SessionConfigError:
    return SessionConfigError(
        f"Invalid type for '{path}': expected {expected}, but got {describe(value)} instead.", path, "invalid_type"
    )


def string(choices: set[str] | None = None, *, what: str = "value") -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise _wrong_type(value, path, "a string")
        if choices is not None and value not in choices:
            raise SessionConfigError(f"Invalid {what}: '{value[:80]}'. Supported values are: {sorted(choices)}.", path)

    return check


def literal(*choices: str) -> Check:
    return string(set(choices))


def integer(low: int | None = None, high: int | None = None) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong_type(value, path, "an integer")
        _in_range(value, path, low, high, "integer")

    return check


def number(low: float | None = None, high: float | None = None) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _wrong_type(value, path, "a decimal")
        _in_range(value, path, low, high, "decimal")

    return check


def _in_range(value: float, path: str, low: float | None, high: float | None, kind: str) -> None:
    if low is not None and value < low:
        raise SessionConfigError(f"Invalid '{path}': {kind} below minimum value. Expected a value >= {low}, but got "
                                 f"{value} instead.", path, f"{kind}_below_min_value")
    if high is not None and value > high:
        raise SessionConfigError(f"Invalid '{path}': {kind} above maximum value. Expected a value <= {high}, but got "
                                 f"{value} instead.", path, f"{kind}_above_max_value")


def boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _wrong_type(value, path, "a boolean")


def any_object(value: Any, path: str) -> None:
    """Free-form JSON (tool parameters, metadata); depth and size are bounded where it was parsed."""
    if not isinstance(value, dict):
        raise _wrong_type(value, path, "an object")


def nullable(inner: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if value is not None:
            inner(value, path)

    return check


def array(item: Check, *, max_items: int, min_items: int = 0) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _wrong_type(value, path, "an array")
        if not min_items <= len(value) <= max_items:
            raise SessionConfigError(f"Invalid '{path}': expected between {min_items} and {max_items} items, "
                                     f"but got {len(value)}.", path, "array_length")
        for index, element in enumerate(value):
            item(element, f"{path}[{index}]")

    return check


def obj(fields: Mapping[str, Check], *, required: tuple[str, ...] = ()) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _wrong_type(value, path, "an object")
        for key, child in value.items():
            if key not in fields:
                raise SessionConfigError(f"Unknown parameter: '{path}.{key}'.", f"{path}.{key}", "unknown_parameter")
            fields[key](child, f"{path}.{key}")
        for key in required:
            if key not in value:
                raise SessionConfigError(f"Missing required parameter: '{path}.{key}'.", f"{path}.{key}",
                                         "missing_required_parameter")

    return check


def tagged(by_type: Mapping[str, Check]) -> Check:
    """An object whose `type` picks its shape (turn detection, audio formats, tools)."""

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _wrong_type(value, path, "an object")
        kind = value.get("type")
        if "type" not in value:
            raise SessionConfigError(f"Missing required parameter: '{path}.type'.", f"{path}.type",
                                     "missing_required_parameter")
        literal(*by_type)(kind, f"{path}.type")
        by_type[kind](value, path)

    return check


def either(text: Check, structured: Check) -> Check:
    """A string mode or an object/integer (tool_choice, truncation, tracing, max_output_tokens):
    `structured` checks objects and integers, `text` everything else."""

    def check(value: Any, path: str) -> None:
        (structured if isinstance(value, dict | int) and not isinstance(value, bool) else text)(value, path)

    return check


_AUDIO_FORMAT = tagged({
    "audio/pcm": obj({"type": literal("audio/pcm"), "rate": integer(24000, 24000)}),
    "audio/pcmu": obj({"type": literal("audio/pcmu")}),
    "audio/pcma": obj({"type": literal("audio/pcma")}),
})
_VAD_COMMON: dict[str, Check] = {"create_response": boolean, "interrupt_response": boolean}
_TURN_DETECTION = nullable(tagged({
    "server_vad": obj({
        "type": literal("server_vad"),
        "threshold": number(0.0, 1.0),
        "prefix_padding_ms": integer(0, 10_000),
        "silence_duration_ms": integer(0, 10_000),
        "idle_timeout_ms": nullable(integer(5_000, 30_000)),
        **_VAD_COMMON,
    }),
    "semantic_vad": obj({"type": literal("semantic_vad"), "eagerness": literal("low", "medium", "high", "auto"),
                         **_VAD_COMMON}),
}))
_TRANSCRIPTION = nullable(obj({
    "model": string(), "language": string(), "prompt": string(),
    "delay": literal("minimal", "low", "medium", "high", "xhigh"),
    "keywords": array(string(), max_items=1000), "languages": array(string(), max_items=100),
}))
_NOISE_REDUCTION = nullable(obj({"type": literal("near_field", "far_field"), "strength": number(0.0, 1.0)}))
_FUNCTION_TOOL = obj({"type": literal("function"), "name": string(), "description": string(),
                      "parameters": any_object}, required=("name",))
_MCP_TOOL = obj({
    "type": literal("mcp"), "server_label": string(), "server_url": string(), "server_description": string(),
    "connector_id": string(), "authorization": string(), "headers": nullable(any_object),
    "allowed_tools": nullable(either(array(string(), max_items=1000), any_object)),
    "require_approval": nullable(either(literal("always", "never"), any_object)),
}, required=("server_label",))

SESSION = obj({
    "type": literal("realtime"),
    "model": string(MODELS, what="model"),
    "instructions": string(),
    "output_modalities": array(literal("audio", "text"), min_items=1, max_items=1),
    "audio": obj({
        "input": obj({"format": _AUDIO_FORMAT, "noise_reduction": _NOISE_REDUCTION, "transcription": _TRANSCRIPTION,
                      "turn_detection": _TURN_DETECTION}),
        "output": obj({"format": _AUDIO_FORMAT, "speed": number(0.25, 1.5), "voice": string(VOICES, what="voice")}),
    }),
    "tools": array(tagged({"function": _FUNCTION_TOOL, "mcp": _MCP_TOOL}), max_items=MAX_TOOLS),
    "tool_choice": either(literal("auto", "none", "required"), tagged({
        "function": obj({"type": literal("function"), "name": string()}, required=("name",)),
        "mcp": obj({"type": literal("mcp"), "server_label": string(), "name": nullable(string())},
                   required=("server_label",)),
    })),
    "max_output_tokens": either(literal("inf"), integer(1, 4096)),
    "include": nullable(array(literal("item.input_audio_transcription.logprobs"), max_items=1)),
    "prompt": nullable(obj({"id": string(), "variables": nullable(any_object), "version": nullable(string())},
                           required=("id",))),
    "tracing": nullable(either(literal("auto"), obj({"group_id": string(), "metadata": any_object,
                                                     "workflow_name": string()}))),
    "truncation": either(literal("auto", "disabled"), obj({
        "type": literal("retention_ratio"), "retention_ratio": number(0.0, 1.0),
        "token_limits": obj({"post_instructions": integer(0)}),
    }, required=("type", "retention_ratio"))),
    "reasoning": obj({"effort": literal("minimal", "low", "medium", "high", "xhigh")}),
    "parallel_tool_calls": boolean,
})
