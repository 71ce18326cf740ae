"""The values the history holds: plain frozen dataclasses, no I/O.

Times are seconds since the epoch (what `time.time()` gives), UTC by definition.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

MOOD_MIN, MOOD_MAX = 1, 10


class SessionStatus(StrEnum):
    CREATED = "created"
    ACTIVE = "active"
    ENDED = "ended"
    ERROR = "error"
    INTERRUPTED = "interrupted"  # the process died while the session was live


class EndReason(StrEnum):
    """Common end reasons; any other string is stored as given."""

    CRASH = "crash"  # set by crash recovery, never by a live session


class ItemKind(StrEnum):
    MESSAGE = "message"  # something the person or the AI companion said (or typed)
    TOOL = "tool"  # a tool call and its card (breathing, grounding, summary …)
    NOTICE = "notice"  # a quiet marker: the connection was renewed, the time limit is near …


class ItemStatus(StrEnum):
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"  # cut off by a barge-in or by the end of the call
    TRANSCRIPTION_FAILED = "transcription_failed"
    IN_PROGRESS = "in_progress"


class SessionFlag(StrEnum):
    CRISIS = "crisis"


def utc_iso(ts: float | None) -> str | None:
    """ISO 8601 with the UTC offset, to the second ('2026-12-01T14:05:09+00:00')."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def check_mood(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MOOD_MIN <= value <= MOOD_MAX:
        raise ValueError(f"mood must be a whole number from {MOOD_MIN} to {MOOD_MAX}, or None; got {value!r}")
    return value


@dataclass(frozen=True)
class Usage:
    """Tokens as `response.done` reports them; a session's usage is the sum over its responses."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.total_tokens + other.total_tokens,
        )

    def to_json(self) -> dict[str, int]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens, "total_tokens": self.total_tokens}


def _strings(value: Any) -> tuple[str, ...]:
    """Lenient: a model sends a string where a list belongs, or nothing at all."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return (str(value),)


@dataclass(frozen=True)
class SummaryRecord:
    """The structured summary: fields a later session (or a clinician) can use one by one."""

    summary: str = ""
    key_topics: tuple[str, ...] = ()
    what_helped: tuple[str, ...] = ()
    suggested_next_steps: tuple[str, ...] = ()
    mood_observation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "key_topics": list(self.key_topics),
            "what_helped": list(self.what_helped),
            "suggested_next_steps": list(self.suggested_next_steps),
            "mood_observation": self.mood_observation,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SummaryRecord:
        return cls(
            summary=str(data.get("summary") or "").strip(),
            key_topics=_strings(data.get("key_topics")),
            what_helped=_strings(data.get("what_helped")),
            suggested_next_steps=_strings(data.get("suggested_next_steps")),
            mood_observation=str(data.get("mood_observation") or "").strip(),
        )

    @classmethod
    def from_text(cls, text: str) -> SummaryRecord:
        try:
            data = json.loads(text)
        except ValueError:
            return cls(summary=text)
        return cls.from_json(data) if isinstance(data, dict) else cls(summary=text)


@dataclass(frozen=True)
class CallRecord:
    """One realtime call of a session; a reconnect adds another. The key's expiry, never the key."""

    call_id: str
    started_at: float
    key_expires_at: float | None = None
    ended_at: float | None = None


@dataclass(frozen=True)
class ItemRecord:
    """One completed transcript item. `position` orders the transcript; the session decides it."""

    session_id: str
    item_id: str
    position: int
    role: str | None = None  # user | assistant | None (tools, notices)
    text: str = ""
    kind: ItemKind = ItemKind.MESSAGE
    status: ItemStatus = ItemStatus.COMPLETED
    tool_card: Mapping[str, Any] | None = None  # what the window showed for a tool, as JSON
    call_id: str | None = None  # the call it was said in
    created_at: float = 0.0

    @property
    def interrupted(self) -> bool:
        return self.status is ItemStatus.INTERRUPTED


@dataclass(frozen=True)
class SessionRecord:
    session_id: str
    therapy_type: str
    mode: str
    started_at: float
    status: SessionStatus
    ended_at: float | None = None
    end_reason: str | None = None
    mood_before: int | None = None
    mood_after: int | None = None
    summary: SummaryRecord | None = None
    flags: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)
    estimated_cost_usd: float | None = None
    calls: tuple[CallRecord, ...] = ()

    @property
    def duration_seconds(self) -> float | None:
        return None if self.ended_at is None else max(0.0, self.ended_at - self.started_at)

    def to_json(self) -> dict[str, Any]:
        """The shape `therapy-desktop history --json` prints for each session."""
        return {
            "session_id": self.session_id,
            "therapy_type": self.therapy_type,
            "mode": self.mode,
            "started_at": utc_iso(self.started_at),
            "ended_at": utc_iso(self.ended_at),
            "status": str(self.status),
            "end_reason": self.end_reason,
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "flags": list(self.flags),
            "usage": self.usage.to_json(),
            "estimated_cost_usd": self.estimated_cost_usd,
            "call_ids": [call.call_id for call in self.calls],
            "summary": self.summary.to_json() if self.summary else None,
        }


@dataclass(frozen=True)
class MoodPoint:
    """One session on the mood chart."""

    session_id: str
    started_at: float
    mood_before: int | None
    mood_after: int | None
