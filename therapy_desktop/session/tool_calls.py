"""Function calls the model makes during a response, answered once that response is done.

Answering before `response.done` makes the service reject our `response.create` (a response is
still active), so calls wait here until their response finishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from therapy_desktop.therapy import ToolResult, run_tool


@dataclass
class ToolCallQueue:
    _pending: dict[str | None, list[tuple[str, str, str]]] = field(default_factory=dict)

    def add(self, response_id: str | None, call_id: str, name: str, arguments: str) -> None:
        calls = self._pending.setdefault(response_id, [])
        if all(existing[0] != call_id for existing in calls):
            calls.append((call_id, name, arguments))

    def take(self, response_id: str | None) -> list[ToolResult]:
        """Run and forget the calls of a finished response."""
        return [run_tool(name, call_id, arguments) for call_id, name, arguments in self._pending.pop(response_id, [])]

    def discard(self, response_id: str | None) -> None:
        self._pending.pop(response_id, None)

    @property
    def waiting(self) -> bool:
        return any(self._pending.values())
