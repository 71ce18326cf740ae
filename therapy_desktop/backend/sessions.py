"""Starting, ending and listing a person's sessions: the logic behind the routes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from therapy_desktop.backend.companion import realtime_session
from therapy_desktop.backend.errors import SessionNotFound, UpstreamFailed
from therapy_desktop.backend.limits import release_daily_session, reserve_daily_session, take_start_slot
from therapy_desktop.backend.models import SessionStatus, TherapySessionRecord, utcnow
from therapy_desktop.backend.schemas import (
    ClientSecret,
    EndRequest,
    SessionRecord,
    StartRequest,
    StartResponse,
)
from therapy_desktop.backend.settings import BackendSettings
from therapy_desktop.backend.tokens import Principal
from therapy_desktop.backend.upstream import RealtimeUpstream

# Stored when OpenAI's answer names no session (the column is NOT NULL since revision 0002).
UNREPORTED_REALTIME_ID = "unreported"
HISTORY_LIMIT = 200


def start_session(db: Session, upstream: RealtimeUpstream, settings: BackendSettings, who: Principal,
                  request: StartRequest) -> StartResponse:
    now = utcnow()
    take_start_slot(db, who.token_id, settings.backend_starts_per_minute, now)
    day = reserve_daily_session(db, who.user_id, settings.openai_max_daily_sessions, now)
    session = realtime_session(request.therapy_type, model=settings.openai_realtime_model,
                               voice=settings.openai_realtime_voice,
                               transcription_model=settings.openai_transcription_model)
    try:
        minted = upstream.mint(session, settings.backend_client_secret_seconds)
    except UpstreamFailed:
        release_daily_session(db, who.user_id, day)  # a start that never happened does not count
        raise
    record = TherapySessionRecord(
        id=str(uuid.uuid4()),
        user_id=who.user_id,
        therapy_type=request.therapy_type.value,
        start_time=now,
        realtime_session_id=minted.realtime_session_id or UNREPORTED_REALTIME_ID,
        ephemeral_key_expires_at=datetime.fromtimestamp(minted.expires_at, UTC),
        mood_before=request.mood_before,
        status=SessionStatus.ACTIVE.value,
    )
    db.add(record)
    db.commit()
    return StartResponse(
        session_id=record.id,
        client_secret=ClientSecret(value=minted.value, expires_at=minted.expires_at),
        expires_at=minted.expires_at,
        therapy_type=request.therapy_type,
        start_time=now,
    )


def end_session(db: Session, settings: BackendSettings, who: Principal, session_id: str,
                request: EndRequest) -> SessionRecord:
    """End the session once; ending it again returns it as it was ended (a retried request)."""
    record = _own_session(db, who, session_id)
    if record.end_time is None:
        now = utcnow()
        duration = max(0, int((now - record.start_time).total_seconds()))
        status = SessionStatus.EXCEEDED_MAX_DURATION if duration > settings.max_session_seconds else SessionStatus.COMPLETED
        table = TherapySessionRecord.__table__.c
        # Conditional: of two ends racing, only the first writes.
        db.execute(
            update(TherapySessionRecord)
            .where(table.id == record.id, table.end_time.is_(None))
            .values(end_time=now, duration_seconds=duration, status=status.value,
                    session_summary=request.session_summary, mood_after=request.mood_after)
        )
        db.commit()
        db.refresh(record)
    return describe(record)


def history(db: Session, who: Principal) -> list[SessionRecord]:
    rows = db.scalars(
        select(TherapySessionRecord)
        .where(TherapySessionRecord.user_id == who.user_id)
        .order_by(TherapySessionRecord.start_time.desc(), TherapySessionRecord.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return [describe(row) for row in rows]


def _own_session(db: Session, who: Principal, session_id: str) -> TherapySessionRecord:
    record = db.scalar(
        select(TherapySessionRecord).where(TherapySessionRecord.id == session_id,
                                           TherapySessionRecord.user_id == who.user_id)
    )
    if record is None:  # another person's session is as unknown as one that never was
        raise SessionNotFound()
    return record


def describe(record: TherapySessionRecord) -> SessionRecord:
    return SessionRecord(
        session_id=record.id,
        therapy_type=record.therapy_type,
        start_time=record.start_time,
        end_time=record.end_time,
        duration_seconds=record.duration_seconds,
        realtime_session_id=record.realtime_session_id,
        ephemeral_key_expires_at=record.ephemeral_key_expires_at,
        session_summary=record.session_summary,
        mood_before=record.mood_before,
        mood_after=record.mood_after,
        status=record.status,
    )
