"""The engine's HTTP face: `/v1/realtime/client_secrets` and `/v1/realtime/calls`, answered the
way the real service answers them, errors in its JSON shape. Loopback only."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from therapy_desktop.engine import protocol as p
from therapy_desktop.engine import safe_json
from therapy_desktop.engine.call import EngineCall
from therapy_desktop.engine.memory import release_freed_memory
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.requests import MAX_BODY, MAX_LIVE_SECRETS, MAX_SDP, sdp_problem, secret_request
from therapy_desktop.engine.session_config import DEFAULT_SESSION, SessionConfigError, merge_session

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
RELEASE_AFTER = 0.5  # seconds idle after the last call closed before memory is handed back


@dataclass
class _ClientSecret:
    session: dict[str, Any]
    expires_at: int


class LocalEngine:
    """Start with `await engine.start()`; then `base_url` and `api_key` open it like OpenAI's API."""

    def __init__(
        self,
        *,
        port: int = 0,
        api_key: str | None = None,
        models: EngineModels | None = None,
        record_events: bool = False,
        preload_models: bool = True,
    ) -> None:
        self.port = port
        self.api_key = api_key or f"demo-{secrets.token_urlsafe(18)}"
        self._owns_models = models is None  # shared models (tests) outlive this engine
        self.models = models or EngineModels()
        self.calls: dict[str, EngineCall] = {}
        self.record_events = record_events
        self._preload_models = preload_models
        self.finished_calls: list[EngineCall] = []  # kept only when recording events
        self._secrets: dict[str, _ClientSecret] = {}
        self._runner: web.AppRunner | None = None
        self._release: asyncio.TimerHandle | None = None
        self.memory_releases = 0  # times the engine went idle and handed freed memory back (diagnostics, tests)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1"

    async def start(self) -> None:
        """Bind first, then load: a busy port fails at once (OSError), before ~300 MB of models load."""
        if self._runner is not None:
            return
        app = web.Application(middlewares=[_cors, _json_errors], client_max_size=MAX_BODY)
        app.add_routes([
            web.post("/v1/realtime/client_secrets", self._client_secrets),
            web.post("/v1/realtime/calls", self._calls),
            web.options("/v1/realtime/client_secrets", _preflight),
            web.options("/v1/realtime/calls", _preflight),
        ])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LOOPBACK, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("local realtime engine on %s", self.base_url)
        if self._preload_models:
            self.models.preload()  # ~2 s on two cores, behind the HTTP side, so the first reply is quick

    async def stop(self) -> None:
        if self._release is not None:
            self._release.cancel()
            self._release = None
        await asyncio.gather(*(call.close() for call in list(self.calls.values())), return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._owns_models:
            self.models.close()

    # -- endpoints -----------------------------------------------------------------------------

    async def _client_secrets(self, request: web.Request) -> web.Response:
        presented = (_bearer(request) or "").encode("utf-8", "surrogateescape")
        if not secrets.compare_digest(presented, self.api_key.encode()):  # no timing hint about the key
            return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
        if request.content_type != "application/json":
            return _error(400, f"Unsupported Content-Type '{request.content_type[:60]}': send application/json.",
                          "invalid_request_error", "unsupported_content_type")
        try:
            body = safe_json.load(await request.read())
            seconds, session_update = secret_request(body)
            session = merge_session(DEFAULT_SESSION, session_update, creating=True)
        except safe_json.MalformedJSON as exc:
            return _error(400, str(exc), "invalid_request_error", "invalid_json")
        except SessionConfigError as exc:
            return _error(400, str(exc), "invalid_request_error", exc.code, exc.param)
        now = int(time.time())
        self._secrets = {k: v for k, v in self._secrets.items() if v.expires_at >= now}  # forget expired keys
        if len(self._secrets) >= MAX_LIVE_SECRETS:
            return _error(429, "Too many unused ephemeral keys; wait for some to expire.", "rate_limit_error",
                          "rate_limit_exceeded")
        value, expires_at = f"ek_{secrets.token_urlsafe(24)}", now + seconds
        self._secrets[value] = _ClientSecret(session, expires_at)
        described = {"id": p.new_id("sess"), "object": "realtime.session", "expires_at": expires_at, **session}
        return web.json_response({"value": value, "expires_at": expires_at, "session": described})

    async def _calls(self, request: web.Request) -> web.Response:
        secret = self._secrets.get(_bearer(request) or "")
        if secret is None or secret.expires_at < time.time():
            return _error(401, "Invalid or expired ephemeral key.", "invalid_request_error", "invalid_api_key")
        if request.content_type != "application/sdp":
            return _error(400, "Content-Type must be application/sdp with an ephemeral key.", "invalid_request_error",
                          "unsupported_content_type")
        body = await request.read()
        if len(body) > MAX_SDP:
            return _error(413, f"The SDP offer is larger than {MAX_SDP // 1024} KB.", "invalid_request_error",
                          "offer_too_large")
        try:
            offer = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "The SDP offer is not valid UTF-8 text.", "invalid_request_error", "invalid_offer")
        problem = sdp_problem(offer)
        if problem is not None:
            return _error(400, f"The SDP offer is not valid: {problem}", "invalid_request_error", "invalid_offer")
        call_id = p.new_id("rtc")
        call = EngineCall(call_id, secret.session, self.models, on_closed=self._call_closed, record_events=self.record_events)
        try:
            answer = await call.answer(offer)
        except Exception as exc:  # aiortc rejects what it cannot negotiate, in many ways
            log.warning("engine: could not answer an offer: %s", exc)
            await call.close()
            return _error(400, f"The SDP offer could not be negotiated: {str(exc)[:200]}", "invalid_request_error",
                          "invalid_offer")
        self.calls[call_id] = call
        return web.Response(status=201, text=answer, content_type="application/sdp",
                            headers={"Location": f"/v1/realtime/calls/{call_id}"})

    def _call_closed(self, call: EngineCall) -> None:
        self.calls.pop(call.id, None)
        if self.record_events:
            self.finished_calls.append(call)
        if not self.calls:
            # Idle now: give the calls' memory back (debounced, so a burst of hang-ups trims once).
            if self._release is not None:
                self._release.cancel()
            self._release = asyncio.get_running_loop().call_later(RELEASE_AFTER, self._release_if_idle)

    def _release_if_idle(self) -> None:
        self._release = None
        if not self.calls:
            release_freed_memory()
            self.memory_releases += 1


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _error(status: int, message: str, type_: str, code: str | None = None, param: str | None = None) -> web.Response:
    return web.json_response({"error": {"message": message, "type": type_, "code": code, "param": param}}, status=status)


# Like OpenAI's API, browsers may call it directly with an ephemeral key (a web client, or the
# benchmark's browser baseline): answer CORS preflights and let the page read the call's Location.
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Expose-Headers": "Location",
}


async def _preflight(request: web.Request) -> web.Response:
    return web.Response(status=204)


@web.middleware
async def _cors(request: web.Request, handler: Any) -> web.StreamResponse:
    response = await handler(request)
    response.headers.update(_CORS_HEADERS)
    return response


@web.middleware
async def _json_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"The request body is larger than {MAX_BODY // 1024} KB.", "invalid_request_error",
                      "request_too_large")
    except web.HTTPException as exc:  # 404, 405… in the service's error shape too
        return _error(exc.status, exc.reason or "Error", "invalid_request_error", None)
    except asyncio.CancelledError:
        raise
    except Exception:  # a last resort: the fuzz test finds none, but a client must never see a bare 500
        log.exception("engine: unexpected error answering %s %s", request.method, request.path)
        return _error(500, "The engine failed to answer this request.", "server_error", "engine_error")
