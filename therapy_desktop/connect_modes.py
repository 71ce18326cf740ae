"""The ways to connect, and which one applies when the person has not chosen."""

from __future__ import annotations

import os
from enum import StrEnum

from therapy_desktop.realtime.credentials import OPENAI_API_KEY, read_secret_async


class ConnectMode(StrEnum):
    DEMO = "demo"
    OPENAI = "openai"

    @property
    def title(self) -> str:
        return {ConnectMode.DEMO: "Demo (offline)", ConnectMode.OPENAI: "OpenAI"}[self]


async def default_mode() -> ConnectMode:
    """THERAPY_DESKTOP_MODE if set; else OpenAI when an API key is stored; else Demo."""
    chosen = os.environ.get("THERAPY_DESKTOP_MODE", "").strip().lower()
    if chosen in {m.value for m in ConnectMode}:
        return ConnectMode(chosen)
    return ConnectMode.OPENAI if await read_secret_async(OPENAI_API_KEY) else ConnectMode.DEMO
