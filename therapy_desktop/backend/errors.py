"""Every error the backend answers with, and its sentence: the one place they are worded.

Answers have one shape, `{"error": {"code", "message", ...}}`, and the desktop shows `message`
to the person. Nothing here ever quotes a token, the clinic's key or an upstream body.

    ApiError
    ├── TokenRejected          401: missing, malformed, forged, expired, revoked token
    ├── SessionNotFound        404: unknown, or another person's session
    ├── RequestInvalid         400/413/422: a body we cannot use
    ├── DailyLimitReached      429: the person's sessions for today are used up
    ├── StartRateLimited       429: too many starts with one token in a minute
    └── UpstreamFailed         502/503/504: OpenAI refused or failed (the clinic's side)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class ApiError(Exception):
    status: int = 400

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or self.status
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


_TOKEN_SENTENCES = {
    "missing": "This request needs a clinic token (an Authorization: Bearer header). Ask your clinic for one.",
    "malformed": "The clinic token is not valid. Copy it again from your clinic, all of it.",
    "forged": "The clinic token is not valid. Copy it again from your clinic, all of it.",
    "unknown": "The clinic token is not known to this server. Ask your clinic for a new one.",
    "expired": "The clinic token has expired. Ask your clinic for a new one.",
    "revoked": "The clinic token has been revoked. Ask your clinic for a new one.",
}


class TokenRejected(ApiError):
    status = 401

    def __init__(self, reason: str) -> None:
        super().__init__(f"token_{reason}", _TOKEN_SENTENCES[reason], headers={"WWW-Authenticate": "Bearer"})
        self.reason = reason


class SessionNotFound(ApiError):
    status = 404

    def __init__(self) -> None:
        super().__init__("session_not_found", "There is no such session for this account.")


class RequestInvalid(ApiError):
    status = 422


def body_too_large(limit: int) -> RequestInvalid:
    return RequestInvalid("body_too_large", f"The request body is larger than this server accepts ({limit} bytes).",
                          status=413)


def body_invalid(where: str, problem: str) -> RequestInvalid:
    return RequestInvalid("invalid_request", f"The request is not valid: {where}: {problem}.")


def not_found() -> ApiError:
    return ApiError("not_found", "There is nothing at this address.", status=404)


def method_not_allowed() -> ApiError:
    return ApiError("method_not_allowed", "This address does not accept that method.", status=405)


class DailyLimitReached(ApiError):
    status = 429

    def __init__(self, limit: int, resets_at: datetime, retry_after: int) -> None:
        when = resets_at.strftime("%H:%M UTC on %Y-%m-%d")
        super().__init__(
            "daily_limit_reached",
            f"You have used today's {limit} sessions. You can start a new one after {when}.",
            headers={"Retry-After": str(retry_after)},
            resets_at=resets_at.isoformat(),
            retry_after=retry_after,
        )


class StartRateLimited(ApiError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            f"Too many sessions were started with this token in the last minute. Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )


_UPSTREAM = {
    "upstream_key_rejected": (502, "The clinic's OpenAI key was not accepted. Ask the clinic's administrator "
                                   "to check the backend's OPENAI_API_KEY."),
    "upstream_forbidden": (502, "The clinic's OpenAI account may not use the Realtime model this backend asks for. "
                                "Ask the clinic's administrator to check OPENAI_REALTIME_MODEL and the account."),
    "upstream_rejected": (502, "OpenAI did not accept the session this backend asked for. "
                               "Ask the clinic's administrator to look at the backend's log."),
    "upstream_quota": (503, "The clinic's OpenAI quota or rate limit is used up for now. Try again later, "
                            "or ask the clinic's administrator."),
    "upstream_unavailable": (503, "OpenAI is having problems right now. Try again in a minute."),
    "upstream_unreachable": (504, "The clinic backend cannot reach OpenAI right now. Try again in a minute."),
    "upstream_unexpected": (502, "OpenAI answered with something this backend did not expect. Try again; "
                                 "if it keeps happening, tell the clinic's administrator."),
}


class UpstreamFailed(ApiError):
    def __init__(self, code: str, *, retry_after: int | None = None) -> None:
        status, message = _UPSTREAM[code]
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        super().__init__(code, message, status=status, headers=headers)


def database_unavailable() -> ApiError:
    return ApiError("database_unavailable", "The clinic backend cannot reach its database right now. Try again in a "
                    "minute; if it keeps happening, tell the clinic's administrator.", status=503)


def internal_error() -> ApiError:
    return ApiError("internal_error", "The clinic backend failed on this request. Try again; if it keeps "
                    "happening, tell the clinic's administrator.", status=500)


def server_not_ready() -> str:
    return ("The database has no token-signing secret yet and BACKEND_TOKEN_SECRET is not set: "
            "run `therapy-desktop-backend migrate` first.")
