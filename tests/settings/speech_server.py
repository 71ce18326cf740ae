"""A stand-in for OpenAI's speech endpoint on 127.0.0.1 (aiohttp): `POST /v1/audio/speech`
answers as told (audio, an error status, or something that is not audio) and keeps what it got."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiohttp import web

RATE = 24_000


def spoken_pcm(seconds: float = 1.0, hz: float = 220.0) -> bytes:
    """A tone standing in for speech: 24 kHz mono int16 little-endian, as `response_format: pcm`."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2").tobytes()


@dataclass
class SpeechServer:
    base_url: str = ""
    answer: str = "audio"  # "audio", "html", "odd", "empty", or an HTTP status as text ("401", "429"…)
    requests: list[dict[str, Any]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.text()
        self.requests.append({"path": request.path, "method": request.method,
                              "authorization": request.headers.get("Authorization", ""),
                              "json": json.loads(body) if body else None})
        if request.path != "/v1/audio/speech":
            return web.json_response({"error": {"message": "Not found", "code": None}}, status=404)
        if self.answer == "audio":
            return web.Response(body=spoken_pcm(), content_type="audio/pcm")
        if self.answer == "html":
            return web.Response(text="<html><body>Welcome to the proxy login page</body></html>", content_type="text/html")
        if self.answer == "odd":
            return web.Response(body=spoken_pcm()[:-1], content_type="application/octet-stream")
        if self.answer == "empty":
            return web.Response(body=b"", content_type="audio/pcm")
        status = int(self.answer)
        messages = {
            401: ("Incorrect API key provided: sk-test-****6789.", "invalid_api_key"),
            404: ("The model `gpt-4o-mini-tts` does not exist or you do not have access to it.", "model_not_found"),
            429: ("Rate limit reached for requests. Please try again in 20s.", "rate_limit_exceeded"),
            500: ("The server had an error while processing your request.", None),
        }
        message, code = messages.get(status, ("Something happened.", None))
        headers = {"Retry-After": "20"} if status == 429 else None
        return web.json_response({"error": {"message": message, "type": "error", "code": code}}, status=status,
                                 headers=headers)


@contextlib.asynccontextmanager
async def speech_server() -> AsyncIterator[SpeechServer]:
    server = SpeechServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield server
    finally:
        await runner.cleanup()
