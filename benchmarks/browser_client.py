"""The browser baseline: headless Chromium running benchmarks/browser/page.html against the engine."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

PAGE = Path(__file__).parent / "browser" / "page.html"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class BrowserBaseline:
    """Serves the page and the key endpoint on loopback; runs one Chromium per session."""

    def __init__(self, engine_base_url: str, engine_api_key: str, session: dict[str, Any], update: dict[str, Any]) -> None:
        self._engine_url, self._engine_key = engine_base_url, engine_api_key
        self._session, self._update = session, update
        self._runner: web.AppRunner | None = None
        self._reports: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.add_routes([
            web.get("/", lambda r: web.FileResponse(PAGE)),
            web.post("/session", self._mint),
            web.post("/report/{kind}", self._report),
        ])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _mint(self, request: web.Request) -> web.Response:
        async with httpx.AsyncClient() as http:
            answer = await http.post(f"{self._engine_url}/realtime/client_secrets", json={"session": self._session},
                                     headers={"Authorization": f"Bearer {self._engine_key}"})
        return web.json_response({"value": answer.json()["value"], "base_url": self._engine_url, "session_update": self._update})

    async def _report(self, request: web.Request) -> web.Response:
        await self._reports.put((request.match_info["kind"], json.loads(await request.text())))
        return web.Response(text="ok")

    async def launch(self, env: dict[str, str]) -> tuple[asyncio.subprocess.Process, Path]:
        profile = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
        process = await asyncio.create_subprocess_exec(
            shutil.which("chromium") or "chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", self.url,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, env=env)
        return process, profile

    async def wait_connected(self, timeout: float) -> dict[str, Any]:
        kind, body = await asyncio.wait_for(self._reports.get(), timeout)
        if kind != "connected":
            raise RuntimeError(f"the browser client failed: {body}")
        return {k: v / 1000 for k, v in body.items()}  # ms → s, like the desktop's report


def browser_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PULSE_SINK", "PULSE_SOURCE")}
