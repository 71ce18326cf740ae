"""Time for the safety rules: aware UTC datetimes only, so a wrong clock is an error, not a silent drift."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def require_aware(value: datetime, name: str) -> datetime:
    """`value` itself, or ValueError when it has no time zone (naive datetimes compare wrongly)."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError(f"{name} must carry a time zone (use datetime.now(UTC)), got a naive datetime")
    return value
