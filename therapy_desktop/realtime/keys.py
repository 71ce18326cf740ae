"""Where ephemeral keys come from. One interface, one implementation per way of connecting.

Credentials are injected (`providers.py` reads them), so the session and the UI, which only
need the interface, never reach the keyring.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from therapy_desktop.realtime import messages
from therapy_desktop.realtime.errors import AuthenticationFailed, CredentialsMissing, NetworkUnreachable
from therapy_desktop.realtime.http_api import EphemeralKey, mint_client_secret
from therapy_desktop.realtime.moderation import moderate_self_harm

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"


def openai_base_url() -> str:
    return os.environ.get("OPENAI_BASE_URL", "").strip() or DEFAULT_OPENAI_BASE_URL


class EphemeralKeyProvider(Protocol):
    label: str
    # False when whoever mints the key fixes the session (the clinic backend): the client then
    # sends no session.update. Providers without the attribute configure it (see `configures_session`).

    async def mint(self, http: httpx.AsyncClient, session: dict[str, Any]) -> EphemeralKey:
        """A fresh ephemeral key for a call configured with `session` (mint one per connect)."""
        ...


class OpenAIKeyProvider:
    """Mints keys from `{OPENAI_BASE_URL}/realtime/client_secrets` with the API key from keyring or env."""

    label = "OpenAI"

    def __init__(self, base_url: str | None = None, *, read_api_key: Callable[[], Awaitable[str | None]]) -> None:
        self.base_url = base_url or openai_base_url()
        self._read_api_key = read_api_key  # injected: this module never touches the keyring

    async def mint(self, http: httpx.AsyncClient, session: dict[str, Any]) -> EphemeralKey:
        api_key = await self._read_api_key()
        if not api_key:
            raise CredentialsMissing(messages.no_key())
        # http_api words every refusal for a person (401: the key; 403/404: access or model).
        return await mint_client_secret(http, self.base_url, api_key, session)


    async def moderate(self, http: httpx.AsyncClient, text: str) -> bool | None:
        """The moderation endpoint's self-harm verdict on `text` (a second crisis net in OpenAI
        mode); None when it cannot answer — the local net alone decides then."""
        api_key = await self._read_api_key()
        if not api_key:
            return None
        result = await moderate_self_harm(http, self.base_url, api_key, text)
        return None if result is None else result.self_harm


@dataclass(frozen=True)
class LocalEndpoint:
    """A realtime API running on this machine (the Demo engine) and the key that opens it."""

    base_url: str
    api_key: str


class DemoKeyProvider:
    """Mints keys from the local Demo engine, starting it on first use."""

    label = "Demo"

    def __init__(self, endpoint: Callable[[], Awaitable[LocalEndpoint]]) -> None:
        self._endpoint = endpoint

    async def mint(self, http: httpx.AsyncClient, session: dict[str, Any]) -> EphemeralKey:
        endpoint = await self._endpoint()
        try:
            return await mint_client_secret(http, endpoint.base_url, endpoint.api_key, session)
        except AuthenticationFailed as exc:  # not the person's key: the engine's own, so not their fault
            raise AuthenticationFailed(messages.demo_key_rejected(), detail=exc.detail) from None
        except NetworkUnreachable as exc:
            raise NetworkUnreachable(
                f"The offline demo engine on {endpoint.base_url} did not answer. It needs the loopback "
                "network interface (127.0.0.1); check that it is up and not blocked by a firewall.",
                detail=str(exc),
            ) from None


def configures_session(provider: EphemeralKeyProvider) -> bool:
    """Whether the client should send its own `session.update` after connecting."""
    return bool(getattr(provider, "configures_session", True))
