"""Builders for the client events the app sends on the `oai-events` channel (GA shapes only)."""

from __future__ import annotations

import itertools
from typing import Any

from therapy_desktop.realtime.session_config import SessionConfig

_counter = itertools.count(1)


def _event(type_: str, **fields: Any) -> dict[str, Any]:
    # Our own event ids let an `error` event be matched to the request that caused it.
    return {"type": type_, "event_id": f"client_{next(_counter)}", **fields}


def session_update(config: SessionConfig) -> dict[str, Any]:
    return _event("session.update", session=config.to_update())


def function_call_output(call_id: str, output_json: str) -> dict[str, Any]:
    return _event(
        "conversation.item.create",
        item={"type": "function_call_output", "call_id": call_id, "output": output_json},
    )


def response_create(instructions: str | None = None) -> dict[str, Any]:
    """Ask for a response; `instructions` apply to this response only (the greeting, a reminder)."""
    if instructions:
        return _event("response.create", response={"instructions": instructions})
    return _event("response.create")


def response_cancel() -> dict[str, Any]:
    return _event("response.cancel")


def output_audio_buffer_clear() -> dict[str, Any]:
    return _event("output_audio_buffer.clear")


def conversation_item_create(item: dict[str, Any]) -> dict[str, Any]:
    return _event("conversation.item.create", item=item)


def user_text_message(text: str) -> dict[str, Any]:
    """A typed message from the person (instead of speech); follow it with `response_create()`."""
    return conversation_item_create({"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]})


def system_message(text: str) -> dict[str, Any]:
    """Context for the model that nobody said (shown to nobody: the transcript shows user and
    assistant messages only)."""
    return conversation_item_create({"type": "message", "role": "system", "content": [{"type": "input_text", "text": text}]})
