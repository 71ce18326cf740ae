"""Server events as typed values: one dataclass per event the client acts on, and a registry.

`parse_server_event` is the parsing boundary: whatever arrives on the data channel — not JSON,
too large, nested too deep, non-finite numbers, fields of the wrong type — either becomes a
fully typed event or raises `MalformedEvent`, never anything else. A type we do not act on
comes back as `OtherEvent` (known to the protocol) or `UnknownEvent` (not known to us).
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, TypeVar

log = logging.getLogger(__name__)

# The client advertises 256 KiB messages in its SDP (aiortc's default max-message-size); a server
# that sends more is not speaking the protocol.
MAX_MESSAGE_BYTES = 256 * 1024
MAX_DEPTH = 32  # GA events nest a few levels (response → output → content); 1,000 is an attack


class MalformedEvent(ValueError):
    """A data-channel message that is not a well-formed server event."""


@dataclass(frozen=True)
class ConversationItem:
    id: str
    type: str  # message | function_call | function_call_output
    role: str | None = None
    status: str | None = None
    text: str | None = None  # transcript or text of the first content part that has one
    name: str | None = None
    call_id: str | None = None
    arguments: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> ConversationItem:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
            raise MalformedEvent("item without id or type")
        text = None
        content = data.get("content")
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict):
                found = part.get("transcript") or part.get("text")
                text = found if isinstance(found, str) else text
        return cls(
            id=data["id"],
            type=data["type"],
            role=_optional_str(data, "role"),
            status=_optional_str(data, "status"),
            text=text,
            name=_optional_str(data, "name"),
            call_id=_optional_str(data, "call_id"),
            arguments=_optional_str(data, "arguments"),
        )


def _optional_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise MalformedEvent(f"item {key} is not a string")
    return value


@dataclass(frozen=True)
class ServerEvent:
    TYPE: ClassVar[str] = ""
    event_id: str | None = field(default=None, kw_only=True)


_REGISTRY: dict[str, type[ServerEvent]] = {}
_E = TypeVar("_E", bound=type[ServerEvent])


def _register(type_: str):  # type: ignore[no-untyped-def]
    def wrap(cls: _E) -> _E:
        cls.TYPE = type_
        _REGISTRY[type_] = cls
        return cls

    return wrap


@_register("session.created")
@dataclass(frozen=True)
class SessionCreated(ServerEvent):
    session: dict[str, Any]


@_register("session.updated")
@dataclass(frozen=True)
class SessionUpdated(ServerEvent):
    session: dict[str, Any]


@_register("input_audio_buffer.speech_started")
@dataclass(frozen=True)
class SpeechStarted(ServerEvent):
    item_id: str
    audio_start_ms: int = 0


@_register("input_audio_buffer.speech_stopped")
@dataclass(frozen=True)
class SpeechStopped(ServerEvent):
    item_id: str
    audio_end_ms: int = 0


@_register("input_audio_buffer.committed")
@dataclass(frozen=True)
class InputCommitted(ServerEvent):
    item_id: str
    previous_item_id: str | None = None
    # False when the server did not say where the item goes (None then means nothing).
    position_known: bool = False


@_register("conversation.item.added")
@dataclass(frozen=True)
class ItemAdded(ServerEvent):
    item: ConversationItem
    previous_item_id: str | None = None
    # False when the server did not say where the item goes (None then means nothing).
    position_known: bool = False


@_register("conversation.item.done")
@dataclass(frozen=True)
class ItemDone(ServerEvent):
    item: ConversationItem
    previous_item_id: str | None = None
    # False when the server did not say where the item goes (None then means nothing).
    position_known: bool = False


@_register("conversation.item.input_audio_transcription.delta")
@dataclass(frozen=True)
class InputTranscriptDelta(ServerEvent):
    item_id: str
    delta: str = ""


@_register("conversation.item.input_audio_transcription.completed")
@dataclass(frozen=True)
class InputTranscriptCompleted(ServerEvent):
    item_id: str
    transcript: str


@_register("conversation.item.input_audio_transcription.failed")
@dataclass(frozen=True)
class InputTranscriptFailed(ServerEvent):
    item_id: str
    error: dict[str, Any] = field(default_factory=dict)


@_register("conversation.item.truncated")
@dataclass(frozen=True)
class ItemTruncated(ServerEvent):
    item_id: str
    audio_end_ms: int = 0


@_register("response.created")
@dataclass(frozen=True)
class ResponseCreated(ServerEvent):
    response: dict[str, Any]

    @property
    def response_id(self) -> str | None:
        return self.response.get("id")


@_register("response.done")
@dataclass(frozen=True)
class ResponseDone(ServerEvent):
    response: dict[str, Any]

    @property
    def response_id(self) -> str | None:
        return self.response.get("id")

    @property
    def status(self) -> str:
        return str(self.response.get("status") or "completed")


@_register("response.output_item.added")
@dataclass(frozen=True)
class OutputItemAdded(ServerEvent):
    item: ConversationItem
    response_id: str | None = None


@_register("response.output_item.done")
@dataclass(frozen=True)
class OutputItemDone(ServerEvent):
    item: ConversationItem
    response_id: str | None = None


@_register("response.output_audio_transcript.delta")
@dataclass(frozen=True)
class AssistantTranscriptDelta(ServerEvent):
    item_id: str
    delta: str
    response_id: str | None = None


@_register("response.output_audio_transcript.done")
@dataclass(frozen=True)
class AssistantTranscriptDone(ServerEvent):
    item_id: str
    transcript: str
    response_id: str | None = None


@_register("response.output_text.delta")
@dataclass(frozen=True)
class AssistantTextDelta(AssistantTranscriptDelta):
    pass


@_register("response.output_text.done")
@dataclass(frozen=True)
class AssistantTextDone(ServerEvent):
    item_id: str
    text: str
    response_id: str | None = None


@_register("response.function_call_arguments.done")
@dataclass(frozen=True)
class FunctionCallArgumentsDone(ServerEvent):
    call_id: str
    name: str
    arguments: str
    item_id: str | None = None
    response_id: str | None = None


@_register("output_audio_buffer.started")
@dataclass(frozen=True)
class OutputAudioStarted(ServerEvent):
    response_id: str | None = None


@_register("output_audio_buffer.stopped")
@dataclass(frozen=True)
class OutputAudioStopped(ServerEvent):
    response_id: str | None = None


@_register("output_audio_buffer.cleared")
@dataclass(frozen=True)
class OutputAudioCleared(ServerEvent):
    response_id: str | None = None


@_register("input_audio_buffer.timeout_triggered")
@dataclass(frozen=True)
class InputTimeoutTriggered(ServerEvent):
    item_id: str | None = None


@dataclass(frozen=True)
class RateLimit:
    name: str  # "requests" or "tokens"
    limit: int | None
    remaining: int | None
    reset_seconds: float | None


@_register("rate_limits.updated")
@dataclass(frozen=True)
class RateLimitsUpdated(ServerEvent):
    """The account's limits as the service reserved them for a response (kept for the usage view)."""

    rate_limits: list[dict[str, Any]]

    def limits(self) -> list[RateLimit]:
        """The readable entries (anything malformed is left out rather than failing the event)."""
        found = []
        for entry in self.rate_limits:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            found.append(RateLimit(entry["name"], _count(entry.get("limit")), _count(entry.get("remaining")),
                                   _number(entry.get("reset_seconds"))))
        return found


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), -float("inf")):
        return None
    return float(value)


@_register("error")
@dataclass(frozen=True)
class ServerError(ServerEvent):
    error: dict[str, Any]

    @property
    def message(self) -> str:
        return str(self.error.get("message") or "The realtime service reported an error.")

    @property
    def code(self) -> str | None:
        return self.error.get("code")


@dataclass(frozen=True)
class OtherEvent(ServerEvent):
    """A GA event the client has no use for (yet)."""

    type: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class UnknownEvent(ServerEvent):
    """An event type this client does not know."""

    type: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class SkippedMessage(ServerEvent):
    """A data-channel message that could not be read. The connection hands it on instead of
    raising, so the session can tell the person once; `reason` is for the log."""

    reason: str


# Events of the GA protocol that the client receives but does not act on.
KNOWN_UNHANDLED = frozenset(
    {
        "conversation.created",
        "conversation.item.created",
        "conversation.item.deleted",
        "conversation.item.retrieved",
        "conversation.item.input_audio_transcription.segment",
        "input_audio_buffer.cleared",
        "input_audio_buffer.dtmf_event_received",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_audio.delta",
        "response.output_audio.done",
        "response.function_call_arguments.delta",
        "response.mcp_call_arguments.delta",
        "response.mcp_call_arguments.done",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
        "mcp_list_tools.in_progress",
        "mcp_list_tools.completed",
        "mcp_list_tools.failed",
    }
)

_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "str | None": (str, type(None)),
    "int": (int,),
    "dict[str, Any]": (dict,),
    "list[dict[str, Any]]": (list,),
}


def parse_server_event(message: str | bytes) -> ServerEvent:
    """One data-channel message → a typed event. Raises `MalformedEvent` and nothing else."""
    if len(message) > MAX_MESSAGE_BYTES:
        raise MalformedEvent(f"message of {len(message)} bytes is over {MAX_MESSAGE_BYTES}")
    try:
        data = _load_json(message)
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise MalformedEvent("no event type")
        type_ = data["type"]
        event_id = data.get("event_id") if isinstance(data.get("event_id"), str) else None
        cls = _REGISTRY.get(type_)
        if cls is None:
            kind = OtherEvent if type_ in KNOWN_UNHANDLED else UnknownEvent
            return kind(type=type_, payload=data, event_id=event_id)
        return cls(event_id=event_id, **_fields_of(cls, data))
    except MalformedEvent:
        raise
    except Exception as exc:  # noqa: BLE001 - the boundary: nothing but MalformedEvent gets out
        raise MalformedEvent(f"unreadable: {type(exc).__name__}") from None


def read_server_event(message: str | bytes) -> ServerEvent:
    """Like `parse_server_event`, but an unreadable message becomes a `SkippedMessage` (logged):
    what the connection hands on, so nothing a server sends can raise into the call."""
    try:
        return parse_server_event(message)
    except MalformedEvent as exc:
        log.warning("skipped a malformed server event: %s", exc)
        return SkippedMessage(reason=str(exc))


def _load_json(message: str | bytes) -> Any:
    if _nesting_depth(message) > MAX_DEPTH:
        raise MalformedEvent(f"nested deeper than {MAX_DEPTH}")
    try:
        return json.loads(message, parse_constant=_reject_constant, parse_float=_finite_float)
    except MalformedEvent:
        raise
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedEvent(f"not JSON: {type(exc).__name__}") from None


def _nesting_depth(message: str | bytes) -> int:
    """The deepest bracket nesting outside strings, found without recursion, so a deep message is
    refused before the JSON parser recurses into it. Most events have few brackets: counted in C."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _reject_constant(name: str) -> float:
    raise MalformedEvent(f"non-finite number {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedEvent("non-finite number")
    return value


def _fields_of(cls: type[ServerEvent], data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "event_id":
            continue
        if f.name == "position_known":
            values[f.name] = "previous_item_id" in data
            continue
        if f.name not in data or data[f.name] is None:
            if f.default is MISSING and f.default_factory is MISSING:
                raise MalformedEvent(f"{cls.TYPE} without {f.name}")
            continue
        value = data[f.name]
        if f.type == "ConversationItem":
            value = ConversationItem.from_dict(value)
        elif f.type == "int" and isinstance(value, float):
            value = int(value)  # finite: non-finite numbers were refused while parsing
        elif f.type in _SIMPLE_TYPES and (isinstance(value, bool) or not isinstance(value, _SIMPLE_TYPES[f.type])):
            raise MalformedEvent(f"{cls.TYPE}: {f.name} is not {f.type}")
        values[f.name] = value
    return values
