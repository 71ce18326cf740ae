"""JSON from a client, parsed so that nothing it can send raises anything but `MalformedJSON`:
bytes that are not UTF-8, nesting deep enough to exhaust the stack, NaN/Infinity/1e999, or a
value nested deeper than any request of the Realtime API needs."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32  # the deepest real session (a tool's JSON schema) is well under this


class MalformedJSON(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedJSON(f"The number {text[:40]} is out of range.")
    return value


def _no_constants(name: str) -> Any:
    raise MalformedJSON(f"{name} is not valid JSON.")


def load(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed value, or `MalformedJSON` with a sentence a client can act on."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedJSON("The body is not valid UTF-8.") from None
    try:
        value = json.loads(data, parse_float=_finite, parse_constant=_no_constants)
    except MalformedJSON:
        raise
    except RecursionError:
        raise MalformedJSON(f"The JSON is nested too deeply (more than {max_depth} levels).") from None
    except ValueError as exc:  # JSONDecodeError, and int() refusing a 5,000-digit number
        raise MalformedJSON(f"The body is not valid JSON: {str(exc)[:120]}") from None
    if depth_exceeds(value, max_depth):
        raise MalformedJSON(f"The JSON is nested too deeply (more than {max_depth} levels).")
    return value


def depth_exceeds(value: Any, max_depth: int) -> bool:
    """Whether containers nest deeper than `max_depth` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
