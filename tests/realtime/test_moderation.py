"""The moderation net against a real HTTP server on loopback that answers like OpenAI's endpoint."""

import asyncio
import logging

import httpx
import pytest
from aiohttp import web

from therapy_desktop.realtime.moderation import MODERATION_MODEL, moderate_self_harm

KEY = "sk-test-secret-key-1234567890"
_CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/instructions", "self-harm/intent", "sexual", "sexual/minors", "violence",
    "violence/graphic",
)


def openai_like_answer(flag: set[str]) -> dict:
    """The shape of `openai.types.ModerationCreateResponse` (results[0] is a `Moderation`)."""
    return {
        "id": "modr-123",
        "model": "omni-moderation-latest",
        "results": [
            {
                "flagged": bool(flag),
                "categories": {name: name in flag for name in _CATEGORIES},
                "category_scores": {name: (0.93 if name in flag else 0.001) for name in _CATEGORIES},
                "category_applied_input_types": {name: ["text"] for name in _CATEGORIES},
            }
        ],
    }


class ModerationServer:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.mode = "answer"
        self.flag: set[str] = set()

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append({"auth": request.headers.get("Authorization"), "body": await request.json()})
        if self.mode == "slow":
            await asyncio.sleep(1)
        if self.mode == "500":
            return web.json_response({"error": {"message": "boom"}}, status=500)
        if self.mode == "garbage":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        if self.mode == "wrong_shape":
            return web.json_response({"results": []})
        return web.json_response(openai_like_answer(self.flag))


@pytest.fixture
async def server():
    state = ModerationServer()
    app = web.Application()
    app.router.add_post("/v1/moderations", state.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    state.base_url = f"http://127.0.0.1:{port}/v1"
    yield state
    await runner.cleanup()


async def test_self_harm_intent_is_flagged_and_the_request_is_openai_shaped(server):
    server.flag = {"self-harm", "self-harm/intent", "violence"}
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url, KEY, "i have been saving my pills")
    assert result.self_harm and result.flagged
    assert result.categories == {"self-harm", "self-harm/intent"}
    assert result.scores["self-harm/intent"] == pytest.approx(0.93)
    assert server.requests == [{"auth": f"Bearer {KEY}", "body": {"model": MODERATION_MODEL, "input": "i have been saving my pills"}}]


async def test_only_self_harm_categories_count(server):
    server.flag = {"violence", "harassment"}
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url, KEY, "this traffic is murder")
    assert result.flagged and not result.self_harm and result.categories == frozenset()


async def test_instructions_alone_count_as_self_harm(server):
    server.flag = {"self-harm/instructions"}
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url + "/", KEY, "how many would it take")
    assert result.self_harm and result.categories == {"self-harm/instructions"}


async def test_a_server_without_the_endpoint_gives_none_and_one_log_line(server, caplog):
    caplog.set_level(logging.INFO, logger="therapy_desktop.realtime.moderation")
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url.replace("/v1", "/v2"), KEY, "hello")
    assert result is None
    assert "404" in caplog.text and KEY not in caplog.text and "hello" not in caplog.text


async def test_a_slow_server_times_out_to_none_without_blocking_long(server, caplog):
    server.mode = "slow"
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url, KEY, "I want to die", timeout=0.2)
    elapsed = loop.time() - started
    assert result is None
    assert "did not answer" in caplog.text and KEY not in caplog.text and "die" not in caplog.text
    print(f"\nslow server: gave up after {elapsed:.2f} s (timeout 0.2 s)")


@pytest.mark.parametrize("mode", ["500", "garbage", "wrong_shape"])
async def test_errors_and_odd_answers_give_none(server, mode, caplog):
    server.mode = mode
    async with httpx.AsyncClient() as http:
        assert await moderate_self_harm(http, server.base_url, KEY, "text") is None
    assert KEY not in caplog.text


async def test_nothing_listening_gives_none(caplog):
    async with httpx.AsyncClient() as http:
        assert await moderate_self_harm(http, "http://127.0.0.1:9/v1", KEY, "text", timeout=1.0) is None
    assert "cannot reach" in caplog.text or "did not answer" in caplog.text
    assert KEY not in caplog.text


async def test_an_empty_turn_is_not_sent(server):
    async with httpx.AsyncClient() as http:
        result = await moderate_self_harm(http, server.base_url, KEY, "   ")
    assert result is not None and not result.self_harm and server.requests == []


def test_the_answer_shape_matches_the_openai_sdk():
    from openai.types import ModerationCreateResponse

    parsed = ModerationCreateResponse.model_validate(openai_like_answer({"self-harm/intent"}))
    assert parsed.results[0].categories.self_harm_intent is True
