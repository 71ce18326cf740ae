"""The HTTP endpoints. Every one but `GET /health` needs a bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.orm import Session

from therapy_desktop.backend import sessions
from therapy_desktop.backend.schemas import (
    EndRequest,
    ErrorBody,
    Health,
    SessionHistory,
    SessionRecord,
    StartRequest,
    StartResponse,
)
from therapy_desktop.backend.tokens import Principal, verify_token

router = APIRouter()
_bearer = HTTPBearer(auto_error=False, description="A clinic token from `therapy-desktop-backend issue-token`.")

_ERRORS = {401: {"model": ErrorBody}, 422: {"model": ErrorBody}, 413: {"model": ErrorBody}}


def _db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


Db = Annotated[Session, Depends(_db)]


def _principal(request: Request, db: Db,
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    return verify_token(db, request.app.state.token_secret, credentials.credentials if credentials else None)


Who = Annotated[Principal, Depends(_principal)]
SessionId = Annotated[str, Path(max_length=64)]


@router.get("/health", response_model=Health)
def health(db: Db) -> Health:
    db.execute(text("SELECT 1"))
    return Health(status="ok", database="ok")


@router.post("/voice-therapist/session/start", response_model=StartResponse,
             responses={**_ERRORS, 429: {"model": ErrorBody}, 502: {"model": ErrorBody}, 503: {"model": ErrorBody},
                        504: {"model": ErrorBody}})
def start(body: StartRequest, request: Request, db: Db, who: Who) -> StartResponse:
    return sessions.start_session(db, request.app.state.upstream, request.app.state.settings, who, body)


@router.post("/voice-therapist/session/{session_id}/end", response_model=SessionRecord,
             responses={**_ERRORS, 404: {"model": ErrorBody}})
def end(session_id: SessionId, body: EndRequest, request: Request, db: Db, who: Who) -> SessionRecord:
    return sessions.end_session(db, request.app.state.settings, who, session_id, body)


@router.get("/voice-therapist/sessions", response_model=SessionHistory, responses={401: {"model": ErrorBody}})
def list_sessions(db: Db, who: Who) -> SessionHistory:
    return SessionHistory(sessions=sessions.history(db, who))

