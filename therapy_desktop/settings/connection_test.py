"""The dialog's Test button: mint one client secret with the settings as chosen, and say how it went."""

from __future__ import annotations

import httpx

from therapy_desktop.realtime import messages
from therapy_desktop.realtime.credentials import OPENAI_API_KEY, read_secret_async
from therapy_desktop.realtime.errors import CredentialsMissing
from therapy_desktop.realtime.http_api import mint_client_secret
from therapy_desktop.realtime.keys import openai_base_url
from therapy_desktop.settings.model import Settings

TEST_INSTRUCTIONS = "Connection test from Therapy Desktop."


def connection_ok(model: str, host: str) -> str:
    return f"It works: {host} accepted your key and the model {model}."


async def test_openai_connection(settings: Settings, typed_api_key: str | None = None) -> str:
    """The success sentence, or the `RealtimeError` a session start would raise (its `str()` and
    `detail` are what the dialog shows). The typed key is used as is, else the saved one (or
    OPENAI_API_KEY). OPENAI_BASE_URL, when set, wins over the setting, as it does for sessions."""
    api_key = typed_api_key or await read_secret_async(OPENAI_API_KEY, explain=True)
    if not api_key:
        raise CredentialsMissing(messages.no_key())
    base_url = base_url_for(settings)
    session = settings.session_config(TEST_INSTRUCTIONS, []).to_session()
    async with httpx.AsyncClient() as http:
        key = await mint_client_secret(http, base_url, api_key, session, expires_seconds=10)
    del key  # minted to prove the key works; never used, it expires on its own
    return connection_ok(settings.model, _host(base_url))


def base_url_for(settings: Settings) -> str:
    """The realtime API sessions use: OPENAI_BASE_URL, else the setting, else OpenAI's."""
    from_env = openai_base_url()
    if from_env != "https://api.openai.com/v1" or not settings.openai_base_url:
        return from_env
    return settings.openai_base_url


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or url)
