"""The two GA HTTP calls, and how every failure becomes a sentence the person can act on."""

import json

import httpx
import pytest

from therapy_desktop.realtime.errors import (
    AuthenticationFailed,
    CredentialsMissing,
    NetworkUnreachable,
    RateLimited,
    ServiceRequestFailed,
)
from therapy_desktop.realtime.http_api import EphemeralKey, create_call, mint_client_secret
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.keys import OpenAIKeyProvider
from therapy_desktop.realtime.providers import key_provider

BASE = "https://api.example.test/v1"
SESSION = {"type": "realtime", "model": "gpt-realtime"}


def _client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_mint_posts_the_session_to_client_secrets_with_the_api_key():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"], seen["auth"], seen["body"] = str(request.url), request.headers["Authorization"], json.loads(request.content)
        return httpx.Response(200, json={"value": "ek_abc123456789", "expires_at": 1_900_000_000, "session": {"type": "realtime"}})

    async with _client(handler) as http:
        key = await mint_client_secret(http, BASE, "sk-secretsecret", SESSION)
    assert seen["url"] == f"{BASE}/realtime/client_secrets"
    assert seen["auth"] == "Bearer sk-secretsecret"
    assert seen["body"] == {"expires_after": {"anchor": "created_at", "seconds": 600}, "session": SESSION}
    assert key.value == "ek_abc123456789" and key.expires_at == 1_900_000_000 and key.base_url == BASE
    assert "ek_abc" not in repr(key)


async def test_the_offer_is_posted_as_sdp_with_the_ephemeral_key_and_no_model_query():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"], seen["headers"], seen["body"] = request.url, request.headers, request.content.decode()
        return httpx.Response(201, text="v=0\r\nanswer", headers={"Location": "/v1/realtime/calls/rtc_42"})

    async with _client(handler) as http:
        answer = await create_call(http, EphemeralKey("ek_x", 0, {}, BASE), "v=0\r\noffer")
    assert str(seen["url"]) == f"{BASE}/realtime/calls" and not seen["url"].query
    assert seen["headers"]["Content-Type"] == "application/sdp"
    assert seen["headers"]["Authorization"] == "Bearer ek_x"
    assert "OpenAI-Beta" not in seen["headers"]
    assert seen["body"] == "v=0\r\noffer"
    assert answer.call_id == "rtc_42" and answer.sdp == "v=0\r\nanswer"


def _error(status: int, message: str, code: str | None = None):
    return lambda request: httpx.Response(status, json={"error": {"message": message, "type": "invalid_request_error", "code": code, "param": None}})


@pytest.mark.parametrize(
    ("handler", "error", "words"),
    [
        (_error(401, "Incorrect API key provided: sk-abcd****wxyz.", "invalid_api_key"), AuthenticationFailed, "API key was not accepted"),
        (_error(429, "Rate limit reached"), RateLimited, "Try again in a minute"),
        (_error(400, "Unknown parameter: 'session.voice'."), ServiceRequestFailed, "Unknown parameter"),
        (lambda r: httpx.Response(502, text="<html>bad gateway</html>"), ServiceRequestFailed, "problem of its own (tried 3 times)"),
        (lambda r: httpx.Response(200, text="not json"), ServiceRequestFailed, "not a Realtime API answer"),
        (lambda r: httpx.Response(200, json={"expires_at": 1}), ServiceRequestFailed, "not a Realtime API answer"),
    ],
)
async def test_service_errors_become_clear_errors(handler, error, words):
    async with _client(handler) as http:
        with pytest.raises(error) as caught:
            await mint_client_secret(http, BASE, "sk-secretsecret", SESSION, retry_delays=(0.0, 0.0))
    assert words in str(caught.value)
    assert "sk-secret" not in str(caught.value)


async def test_unreachable_hosts_and_timeouts_say_so():
    def refuse(request):
        raise httpx.ConnectError("refused")

    def slow(request):
        raise httpx.ReadTimeout("slow")

    for handler, words in ((refuse, "api.example.test could not be reached"), (slow, "did not answer in time")):
        async with _client(handler) as http:
            with pytest.raises(NetworkUnreachable, match=words):
                await mint_client_secret(http, BASE, "sk-secretsecret", SESSION)


async def test_a_call_answered_without_sdp_is_an_error():
    async with _client(lambda r: httpx.Response(201, text="")) as http:
        with pytest.raises(ServiceRequestFailed, match="did not accept the voice call"):
            await create_call(http, EphemeralKey("ek_x", 0, {}, BASE), "v=0")


async def test_openai_provider_without_a_key_says_where_to_put_one():
    async def no_key():
        return None

    async with _client(lambda r: httpx.Response(500)) as http:
        with pytest.raises(CredentialsMissing, match="Settings, OpenAI .or set OPENAI_API_KEY."):
            await OpenAIKeyProvider(BASE, read_api_key=no_key).mint(http, SESSION)


async def test_openai_provider_reads_the_key_from_the_keyring(memory_keyring):
    memory_keyring.set_password("therapy-desktop", "openai-api-key", "sk-fromkeyring123")
    seen = {}

    def handler(request):
        seen["auth"] = request.headers["Authorization"]
        return httpx.Response(200, json={"value": "ek_1234567", "expires_at": 1, "session": {}})

    async with _client(handler) as http:
        await key_provider(ConnectMode.OPENAI, _no_engine).mint(http, SESSION)
    assert seen["auth"] == "Bearer sk-fromkeyring123"


async def test_openai_provider_uses_openai_base_url(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1")
    assert key_provider(ConnectMode.OPENAI, _no_engine).base_url == "http://127.0.0.1:9999/v1"


async def _no_engine():
    raise AssertionError("OpenAI mode never starts the demo engine")


async def test_credentials_in_the_base_url_never_reach_the_message():
    def refuse(request):
        raise httpx.ConnectError("refused")

    async with _client(refuse) as http:
        with pytest.raises(NetworkUnreachable) as caught:
            await mint_client_secret(http, "https://proxyuser:Pr0xyPa55@proxy.example.test:8443/v1", "sk-secretsecret", SESSION)
    assert "Pr0xyPa55" not in str(caught.value) and "proxyuser" not in str(caught.value)
    assert "proxy.example.test:8443" in str(caught.value)
    assert caught.value.detail == "ConnectError (proxy.example.test:8443)"
