"""Everything a session announces, declared once and typed. Hooks are named
`<subject>_did_<verb>` and fire on the loop thread (with qasync, the Qt thread)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.state import SessionOutcome, SessionState
from therapy_desktop.therapy import ToolResult


@dataclass(frozen=True)
class CallRenewal:
    """A new call took over the conversation: after a drop, or before the service's time cap."""

    call_id: str | None
    previous_call_id: str | None
    cause: str  # a short reason for the log: "dropped", "session_expired", "renewal", "resumed"
    seconds: float  # from losing the old call to the new one carrying on


@dataclass(frozen=True)
class CallOpened:
    """A call now carries the conversation (the first, or one after a renewal)."""

    call_id: str | None
    key_expires_at: int | None  # when the ephemeral key stopped being usable to start a call (never the key)


@dataclass(frozen=True)
class LimitApproaching:
    minutes_left: float


def _hook(name: str) -> Any:
    return field(default_factory=lambda: Hook(name))


@dataclass
class SessionEvents:
    state_did_change: Hook[SessionState] = _hook("state_did_change")
    error_did_occur: Hook[str] = _hook("error_did_occur")  # a sentence for the person
    mic_level_did_change: Hook[float] = _hook("mic_level_did_change")
    mic_paused_did_change: Hook[bool] = _hook("mic_paused_did_change")  # uplink silent (therapist speaking)
    tool_did_run: Hook[ToolResult] = _hook("tool_did_run")
    call_did_open: Hook[CallOpened] = _hook("call_did_open")
    call_did_renew: Hook[CallRenewal] = _hook("call_did_renew")
    usage_did_arrive: Hook[dict[str, Any]] = _hook("usage_did_arrive")  # `usage` of each response.done
    limit_did_approach: Hook[LimitApproaching] = _hook("limit_did_approach")
    session_did_end: Hook[SessionOutcome] = _hook("session_did_end")

    def hooks(self) -> list[tuple[str, Hook[Any]]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]
