"""Strict validation against the openai SDK's GA event models: the SDK accepts unknown fields,
the service does not, so any field that lands in `model_extra` anywhere is a failure."""

from __future__ import annotations

from typing import Any

from openai.types.realtime import RealtimeClientEvent, RealtimeServerEvent
from pydantic import BaseModel, TypeAdapter

_client = TypeAdapter(RealtimeClientEvent)
_server = TypeAdapter(RealtimeServerEvent)


def unknown_fields(model: Any, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{k}" if path else k for k in (model.model_extra or {})]
        for name in type(model).model_fields:
            found += unknown_fields(getattr(model, name), f"{path}.{name}" if path else name)
    elif isinstance(model, (list, tuple)):
        for i, value in enumerate(model):
            found += unknown_fields(value, f"{path}[{i}]")
    elif isinstance(model, dict):
        for key, value in model.items():
            found += unknown_fields(value, f"{path}.{key}")
    return found


def assert_valid_client_event(event: dict[str, Any]) -> None:
    model = _client.validate_python(event)
    extra = unknown_fields(model)
    assert not extra, f"{event.get('type')} has fields the service rejects: {extra}"


def assert_valid_server_event(event: dict[str, Any]) -> None:
    model = _server.validate_python(event)
    extra = unknown_fields(model)
    assert not extra, f"{event.get('type')} has fields outside the GA schema: {extra}"
