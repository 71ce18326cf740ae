"""Waiting for a condition in async tests (bounded: a hang fails with what was awaited)."""

import asyncio


async def wait_until(condition, timeout: float, message: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting until {message}")
        await asyncio.sleep(0.02)
