"""Server events as typed values: one dataclass per event the client acts on, and a registry.

`parse_server_event` never lets a bad message through as a half-built object: a message that
is not JSON or lacks a field we rely on raises `MalformedEvent`; a type we do not act on comes
back as `OtherEvent` (known to the protocol) or `UnknownEvent` (not known to us).
"""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, TypeVar


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
        for part in data.get("content") or []:
            if isinstance(part, dict):
                text = part.get("transcript") or part.get("text") or text
        return cls(
            id=data["id"],
            type=data["type"],
            role=data.get("role"),
            status=data.get("status"),
            text=text,
            name=data.get("name"),
            call_id=data.get("call_id"),
            arguments=data.get("arguments"),
        )


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
        "rate_limits.updated",
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
}


def parse_server_event(message: str | bytes) -> ServerEvent:
    """One data-channel message → a typed event. Raises `MalformedEvent`."""
    try:
        data = json.loads(message)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEvent(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise MalformedEvent("no event type")
    type_ = data["type"]
    event_id = data.get("event_id") if isinstance(data.get("event_id"), str) else None
    cls = _REGISTRY.get(type_)
    if cls is None:
        kind = OtherEvent if type_ in KNOWN_UNHANDLED else UnknownEvent
        return kind(type=type_, payload=data, event_id=event_id)
    return cls(event_id=event_id, **_fields_of(cls, data))


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
            value = int(value)
        elif f.type in _SIMPLE_TYPES and not isinstance(value, _SIMPLE_TYPES[f.type]):
            raise MalformedEvent(f"{cls.TYPE}: {f.name} is not {f.type}")
        values[f.name] = value
    return values
