"""The ASGI application: routes, error answers in one shape, a body cap, CORS closed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from therapy_desktop.backend import errors
from therapy_desktop.backend.db import make_engine, session_factory
from therapy_desktop.backend.middleware import BodyLimit, NoStore
from therapy_desktop.backend.migrate import stored_signing_secret
from therapy_desktop.backend.routes import router
from therapy_desktop.backend.settings import BackendSettings
from therapy_desktop.backend.upstream import RealtimeUpstream

log = logging.getLogger(__name__)


class BackendNotReady(RuntimeError):
    """The backend cannot serve yet; `str()` says what to do."""


def create_app(settings: BackendSettings, *, engine: Engine | None = None,
               upstream: RealtimeUpstream | None = None) -> FastAPI:
    engine = engine or make_engine(settings.database_url)
    secret = settings.backend_token_secret.get_secret_value() if settings.backend_token_secret else None
    secret = secret or stored_signing_secret(engine)
    if not secret:
        raise BackendNotReady(errors.server_not_ready())
    if upstream is None:
        if settings.openai_api_key is None or not settings.openai_api_key.get_secret_value().strip():
            raise BackendNotReady("OPENAI_API_KEY is not set: the backend needs the clinic's OpenAI key to mint session keys.")
        upstream = RealtimeUpstream(settings.openai_base_url, settings.openai_api_key.get_secret_value().strip(),
                                    timeout=settings.backend_upstream_timeout_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        upstream.close()
        engine.dispose()

    # No CORS middleware on purpose: browsers on other origins get no Access-Control-Allow-* headers.
    app = FastAPI(title="Therapy Desktop clinic backend", version="1", lifespan=lifespan)
    app.state.settings = settings
    app.state.sessions = session_factory(engine)
    app.state.token_secret = secret
    app.state.upstream = upstream
    app.include_router(router)
    app.add_exception_handler(errors.ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(BodyLimit, limit=settings.backend_max_body_bytes)
    app.add_middleware(NoStore)
    return app


def _answer(error: errors.ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.ApiError)
    return _answer(exc)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems: list[dict[str, Any]] = list(exc.errors())
    first = problems[0] if problems else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "the body"
    # Pydantic's messages name the rule broken, never the value sent.
    return _answer(errors.body_invalid(where, str(first.get("msg", "not valid")).rstrip(".")))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return _answer(errors.not_found())
    if exc.status_code == 405:
        return _answer(errors.method_not_allowed())
    return _answer(errors.ApiError("http_error", str(exc.detail), status=exc.status_code))


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    log.error("the database failed on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _answer(errors.database_unavailable())


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected failure on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(errors.internal_error())
