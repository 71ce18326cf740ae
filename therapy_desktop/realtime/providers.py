"""Which ephemeral-key provider serves each connection mode, and which mode applies when the
person has not chosen. The one module that ties modes to credentials: the composition root
uses it; the UI never imports it (a contract in pyproject.toml)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from therapy_desktop.realtime.clinic_backend import ClinicBackendKeyProvider
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.credentials import CLINIC_BACKEND_TOKEN, OPENAI_API_KEY, read_secret_async
from therapy_desktop.realtime.keys import (
    DemoKeyProvider,
    EphemeralKeyProvider,
    LocalEndpoint,
    OpenAIKeyProvider,
    openai_base_url,
)

BACKEND_URL_ENV = "THERAPY_DESKTOP_BACKEND_URL"


@dataclass(frozen=True)
class ProviderContext:
    """What a provider may need beyond the mode: the Demo engine, and for the clinic backend the
    session's type and mood (its start request carries them) and where undelivered ends wait."""

    local_endpoint: Callable[[], Awaitable[LocalEndpoint]]
    therapy_type: str = "general"
    mood_before: int | None = None
    pending_ends: Path | None = None
    backend_url: str | None = None  # the setting; THERAPY_DESKTOP_BACKEND_URL overrides it
    openai_base_url: str | None = None  # the realtime API (OPENAI_BASE_URL or the setting)


async def default_mode(setting: ConnectMode | None = None) -> ConnectMode:
    """THERAPY_DESKTOP_MODE if set; else the person's setting; else OpenAI when an API key is
    stored; else Demo."""
    chosen = os.environ.get("THERAPY_DESKTOP_MODE", "").strip().lower()
    if chosen in {m.value for m in ConnectMode}:
        return ConnectMode(chosen)
    if setting is not None:
        return setting
    return ConnectMode.OPENAI if await read_secret_async(OPENAI_API_KEY) else ConnectMode.DEMO


def key_provider(mode: ConnectMode, context: ProviderContext | Callable[[], Awaitable[LocalEndpoint]]) -> EphemeralKeyProvider:
    """The provider for `mode`. `context` may be just the Demo engine's endpoint (Demo, OpenAI)."""
    if not isinstance(context, ProviderContext):
        context = ProviderContext(local_endpoint=context)
    if mode is ConnectMode.OPENAI:
        # explain=True: a locked or absent keyring reaches the person as a sentence, not as "no key".
        return OpenAIKeyProvider(context.openai_base_url, read_api_key=lambda: read_secret_async(OPENAI_API_KEY, explain=True))
    if mode is ConnectMode.BACKEND:
        if context.pending_ends is None:
            raise ValueError("the clinic backend needs a file for ends it could not deliver")
        return ClinicBackendKeyProvider(
            backend_url=os.environ.get(BACKEND_URL_ENV, "").strip() or context.backend_url or "",
            read_token=lambda: read_secret_async(CLINIC_BACKEND_TOKEN, explain=True),
            therapy_type=context.therapy_type,
            mood_before=context.mood_before,
            realtime_base_url=context.openai_base_url or openai_base_url(),
            pending_path=context.pending_ends,
        )
    return DemoKeyProvider(context.local_endpoint)
