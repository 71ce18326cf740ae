"""Which ephemeral-key provider serves each connection mode, and which mode applies when the
person has not chosen. The one module that ties modes to credentials: the composition root
uses it; the UI never imports it (a contract in pyproject.toml)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.credentials import OPENAI_API_KEY, read_secret_async
from therapy_desktop.realtime.keys import DemoKeyProvider, EphemeralKeyProvider, LocalEndpoint, OpenAIKeyProvider


async def default_mode() -> ConnectMode:
    """THERAPY_DESKTOP_MODE if set; else OpenAI when an API key is stored; else Demo."""
    chosen = os.environ.get("THERAPY_DESKTOP_MODE", "").strip().lower()
    if chosen in {m.value for m in ConnectMode}:
        return ConnectMode(chosen)
    return ConnectMode.OPENAI if await read_secret_async(OPENAI_API_KEY) else ConnectMode.DEMO


def key_provider(mode: ConnectMode, local_endpoint: Callable[[], Awaitable[LocalEndpoint]]) -> EphemeralKeyProvider:
    """The provider for `mode`; `local_endpoint` starts (or finds) the Demo engine."""
    if mode is ConnectMode.OPENAI:
        return OpenAIKeyProvider(read_api_key=lambda: read_secret_async(OPENAI_API_KEY))
    return DemoKeyProvider(local_endpoint)
