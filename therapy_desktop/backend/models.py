"""The database tables (SQLAlchemy). The schema itself is made by the Alembic revisions in
`migrations/versions/`; a test checks that both agree."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on PostgreSQL (timestamptz) and SQLite (no time zones) alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class SessionStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    # Ended later than OPENAI_MAX_SESSION_DURATION_MINUTES after it started.
    EXCEEDED_MAX_DURATION = "exceeded_max_duration"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiToken(Base):
    """A bearer token's record: the token itself is never stored, only its id (for revocation)."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class BackendSecret(Base):
    __tablename__ = "backend_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class DailySessionCount(Base):
    """Sessions started per user per UTC day: one row, raised by a conditional UPDATE (race-free)."""

    __tablename__ = "daily_session_counts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class TokenStartWindow(Base):
    """Starts per token per minute (a fixed window), raised the same way."""

    __tablename__ = "token_start_windows"

    token_id: Mapped[str] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)  # unix minute
    count: Mapped[int] = mapped_column(Integer, default=0)


class TherapySessionRecord(Base):
    """One voice session (the original design's fields). The ephemeral key is never stored."""

    __tablename__ = "therapy_sessions"
    __table_args__ = (Index("ix_therapy_sessions_user_start", "user_id", "start_time"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapy_type: Mapped[str] = mapped_column(String(32))
    start_time: Mapped[datetime] = mapped_column(UTCDateTime())
    end_time: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    realtime_session_id: Mapped[str] = mapped_column(String(128))
    ephemeral_key_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    session_summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    mood_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mood_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(32), default=SessionStatus.ACTIVE.value)
