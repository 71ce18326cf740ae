"""How long a drop lasts for the person: the session against the local engine over real aiortc
loopback, the call ended by the server at random moments (mid-reply and between turns), then a
`session_expired` and a proactive renewal. Reports, per cause, the seconds from losing the old
call to the new one carrying on (`CallRenewal.seconds`), and checks that no turn was lost or
doubled. `python -m benchmarks.reconnect --drops 20`; results in benchmarks/README.md."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.runner import RESULTS
from benchmarks.stats import percentile
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.keys import DemoKeyProvider, LocalEndpoint
from therapy_desktop.session.events import CallRenewal
from therapy_desktop.session.reconnect import ReconnectPolicy
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reconnect", description=__doc__)
    parser.add_argument("--drops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    result = asyncio.run(_measure(args.drops, args.seed))
    out = RESULTS / time.strftime("reconnect-%Y%m%d-%H%M%S.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["summary"], indent=1))
    print(f"raw results: {out}")
    return 0


async def _wait(condition, timeout: float, what: str) -> None:  # noqa: ANN001 - a small predicate
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def _user_texts(session: TherapySession) -> list[str]:
    return [i.text for i in session.transcript.visible_items() if i.role == "user" and i.text]


async def _measure(drops: int, seed: int) -> dict:
    engine = LocalEngine(record_events=False)
    await engine.start()
    await engine.models.ready()
    folder = Path(tempfile.mkdtemp(prefix="reconnect-bench-"))
    mic = folder / "silence.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE * 600, dtype=np.int16), SAMPLE_RATE)

    async def endpoint() -> LocalEndpoint:
        return LocalEndpoint(engine.base_url, engine.api_key)

    session = TherapySession(TherapyType.STRESS, DemoKeyProvider(endpoint),
                             AudioEndpoints(mic_wav=mic, speaker_wav=folder / "out.wav"),
                             reconnect=ReconnectPolicy())
    renewals: list[CallRenewal] = []
    session.events.call_did_renew.connect(renewals.append)
    await session.start()
    rng = random.Random(seed)
    sent: list[str] = []
    try:
        for n in range(drops):
            sent.append(f"Message number {n}: work has been a lot this week.")
            session.send_text(sent[-1])
            await _wait(lambda: len(_user_texts(session)) == len(sent), 15, f"message {n}")
            await asyncio.sleep(rng.uniform(0.0, 2.0))  # sometimes mid-reply, sometimes after it
            await engine.calls[session.calls.call.call_id].close()
            await _wait(lambda n=n: len(renewals) > n and session.state.is_in_call, 30, f"renewal {n}")
        await engine.calls[session.calls.call.call_id].expire()
        await _wait(lambda: len(renewals) > drops and session.state.is_in_call, 30, "the expiry's renewal")
        session.calls.watchdog.renew_after = 0.0  # the cap reached: renew at the next pause
        await _wait(lambda: len(renewals) > drops + 1 and session.state.is_in_call, 30, "a proactive renewal")
        users = _user_texts(session)
        ids = [i.item_id for i in session.transcript.visible_items()]
    finally:
        await session.end()
        await engine.stop()
    by_cause: dict[str, list[float]] = {}
    for renewal in renewals:
        by_cause.setdefault(renewal.cause, []).append(renewal.seconds)
    summary = {
        cause: {"count": len(times), "median_s": round(percentile(times, 0.5), 2),
                "p90_s": round(percentile(times, 0.9), 2), "max_s": round(max(times), 2)}
        for cause, times in by_cause.items()
    }
    summary["turns_kept"] = users == sent
    summary["duplicated_items"] = len(ids) - len(set(ids))
    print(f"{len(renewals)} renewals", file=sys.stderr)
    return {"summary": summary, "seconds": [(r.cause, r.seconds) for r in renewals]}


if __name__ == "__main__":
    raise SystemExit(main())
