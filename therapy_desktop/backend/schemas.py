"""The request and response bodies: the contract the desktop speaks (issue 13, "Clinic backend mode")."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from therapy_desktop.backend.companion import TherapyType

MOOD_MIN, MOOD_MAX = 1, 10
SUMMARY_MAX_CHARS = 8000


class StartRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    therapy_type: TherapyType
    mood_before: int | None = Field(None, ge=MOOD_MIN, le=MOOD_MAX, description="1 (very low) to 10 (very good)")


class ClientSecret(BaseModel):
    value: str
    expires_at: int


class StartResponse(BaseModel):
    session_id: str
    client_secret: ClientSecret
    expires_at: int
    therapy_type: TherapyType
    start_time: datetime


class EndRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_summary: str | None = Field(None, max_length=SUMMARY_MAX_CHARS)
    mood_after: int | None = Field(None, ge=MOOD_MIN, le=MOOD_MAX)


class SessionRecord(BaseModel):
    session_id: str
    therapy_type: str
    start_time: datetime
    end_time: datetime | None
    duration_seconds: int | None
    realtime_session_id: str
    ephemeral_key_expires_at: datetime | None
    session_summary: str | None
    mood_before: int | None
    mood_after: int | None
    status: str


class SessionHistory(BaseModel):
    sessions: list[SessionRecord]


class Health(BaseModel):
    status: str
    database: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
