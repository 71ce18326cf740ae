"""Concurrent `start` calls against one or more backend instances (the load test and its benchmark)."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class StartResult:
    user: str
    instance: str
    status: int
    code: str | None
    seconds: float


async def concurrent_starts(instances: list[str], tokens: dict[str, str], per_user: int) -> list[StartResult]:
    """`per_user` starts for every user, all at once, spread round-robin over the instances."""
    jobs = [(user, token) for user, token in tokens.items() for _ in range(per_user)]
    gate = asyncio.Event()
    limits = httpx.Limits(max_connections=len(jobs), max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:

        async def one(user: str, token: str, instance: str) -> StartResult:
            await gate.wait()  # every request leaves at the same moment
            began = time.perf_counter()
            answer = await http.post(f"{instance}/voice-therapist/session/start",
                                     json={"therapy_type": "general", "mood_before": 5},
                                     headers={"Authorization": f"Bearer {token}"})
            seconds = time.perf_counter() - began
            code = None if answer.status_code == 200 else answer.json().get("error", {}).get("code")
            return StartResult(user, instance, answer.status_code, code, seconds)

        tasks = [asyncio.ensure_future(one(user, token, instance))
                 for (user, token), instance in zip(jobs, itertools.cycle(instances), strict=False)]
        await asyncio.sleep(0.05)
        gate.set()
        return list(await asyncio.gather(*tasks))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
