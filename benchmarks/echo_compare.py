"""The echo room, side by side (issue 14): the desktop client in speakers mode and headless Chromium
with its echo cancellation on (`getUserMedia({audio: true})`), one after the other in the same
PulseAudio echo room (benchmarks/echo_room.py: what the client plays comes back into its microphone
40 ms later at -9 dB; the person's voice goes straight in), against the local engine.

    python -m benchmarks.echo_compare [--replies 6] [--tries 10] [--clients desktop-headless,browser] [--trace]
                                      [--person-delayed] [--save DIR]

`--trace` runs the desktop client with `--debug` (each detector window over a reply is logged) and
prints its log's path and each barge-in's onset in wall-clock time, to read the two side by side.

Per client:
- self-interruptions: replies the engine or the client cancelled while nobody spoke over them (the
  person asks, then is silent), per 10 s of reply heard at the speaker;
- barge-ins: 2 s into a reply the person says "Wait, that is not what I meant"; the stop time is
  measured in the room's recording (the person's onset to the reply's last sound), honoured if the
  reply went quiet before the person's next try;
- CPU seconds per minute of the client's process tree, for the whole run.
Run by hand; results in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from benchmarks.browser_client import BrowserBaseline, browser_env
from benchmarks.echo_room import RATE, RoomHarness, echo_room, loud_mask, stop_times_ms
from benchmarks.process_stats import CostMeter
from benchmarks.runner import _launch_desktop, _stop, _wait_desktop_connected, _warm_up
from benchmarks.utterances import SENTENCES, Utterance, make
from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.therapy import TherapyType, build_instructions, tool_definitions

CLIENTS = ("desktop-headless", "browser")
INTERRUPTION = "Wait, that is not what I meant."
REPLY_LONG_ENOUGH = 2.0  # seconds of reply sounding before the person speaks over it


def _new_call(engine: LocalEngine, before: set[str]) -> Any:
    return next((c for c in [*engine.calls.values(), *engine.finished_calls] if c.id not in before), None)


def _cancelled(events: list[dict[str, Any]]) -> int:
    return sum(1 for e in events if e.get("type") == "response.done" and (e.get("response") or {}).get("status") == "cancelled")


def _responding(call: Any) -> bool:
    types = [e.get("type") for e in call.sent_events]
    return types.count("response.created") > types.count("response.done")


async def _until_engine_quiet(harness: RoomHarness, call: Any, timeout: float = 60) -> None:
    """Until every response the engine started is done and the speaker has been quiet for a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _responding(call):
            await asyncio.sleep(0.05)  # the engine runs on this loop: never spin without yielding
        elif await harness.wait_for_speaker(False, 1.0, timeout=5) and not _responding(call):
            return
    types = [e.get("type") for e in call.sent_events]
    raise RuntimeError(f"the engine never went quiet (speaker level {harness.speaker_level:.0f}; "
                       f"last events {types[-12:]})")


async def _run(client: str, engine: LocalEngine, browser: BrowserBaseline, harness: RoomHarness,
               questions: list[Utterance], interruption: Utterance, replies: int, tries: int,
               trace: bool = False, save: Path | None = None) -> dict[str, Any]:
    before = {c.id for c in [*engine.calls.values(), *engine.finished_calls]}
    metrics = Path(tempfile.mkstemp(prefix="bench-echo-", suffix=".json")[1])
    profile: Path | None = None
    if client == "browser":
        process, profile = await browser.launch(browser_env())
        await browser.wait_connected(30)
    else:
        process = await _launch_desktop(client, engine, metrics, "",
                                        app_args=["--audio-mode", "speakers", *(["--debug"] if trace else [])])
        await _wait_desktop_connected(process, 60)
    meter = CostMeter(psutil.Process(process.pid))
    await asyncio.sleep(1.0)
    call = _new_call(engine, before)
    await _until_engine_quiet(harness, call)  # the greeting
    meter.start()
    try:
        # 1. Replies nobody speaks over.
        heard_s, cancelled = 0.0, 0
        for question in questions[:replies]:
            mark, start = len(call.sent_events), harness.recorded
            await harness.speak(question.pcm)
            await harness.wait_for_speaker(True, 0.3, timeout=20)
            await _until_engine_quiet(harness, call)
            cancelled += _cancelled(call.sent_events[mark:])
            heard_s += float(loud_mask(harness.audio()[start:, 0]).sum()) * 0.005
        # 2. Barge-ins.
        start, attempted = harness.recorded, 0
        for index in range(tries * 2):
            if attempted == tries:
                break
            await harness.speak(questions[index % len(questions)].pcm)
            started = await harness.wait_for_speaker(True, 0.1, timeout=20)
            await asyncio.sleep(REPLY_LONG_ENOUGH - 0.1)  # speech has gaps: time from its first sound
            if not started or not _responding(call):
                await _until_engine_quiet(harness, call)
                continue  # too short a reply to speak over 2 s in
            attempted += 1
            await harness.speak(interruption.pcm)
            await _until_engine_quiet(harness, call)
        barge_ins = stop_times_ms(harness.audio()[start:])
        stops = [stop for _, stop in barge_ins]
        if save is not None:
            _save_wav(save / f"{client}-barge-ins.wav", harness.audio()[start:])
    finally:
        await meter.stop()
        await _stop(process, client)
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)
        await asyncio.to_thread(metrics.unlink, missing_ok=True)
    honoured = sorted(s for s in stops if s is not None)
    return {
        "client": client,
        "replies": replies,
        "reply_seconds_heard": round(heard_s, 1),
        "self_interruptions": cancelled,
        "self_interruptions_per_10s": round(cancelled / heard_s * 10, 2) if heard_s else None,
        "barge_ins_tried": attempted,
        "barge_ins_recorded": len(stops),
        "barge_ins_honoured": len(honoured),
        "stop_ms": honoured,
        "stop_ms_median": statistics.median(honoured) if honoured else None,
        "stop_ms_p90": float(np.percentile(honoured, 90)) if honoured else None,
        "cpu_s_per_min": round(meter.cpu_seconds_per_minute, 2),
        **({"client_log": str(metrics.with_suffix(".stderr.log")),
            "barge_ins_wall": [[_wall(harness.started_wall + start / RATE + onset), stop] for onset, stop in barge_ins]}
           if trace and client != "browser" else {}),
    }


def _save_wav(path: Path, stereo: np.ndarray) -> None:
    """The room's recording of the barge-ins: left what reached the speaker, right the person."""
    import wave

    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.ascontiguousarray(stereo, dtype=np.int16).tobytes())


def _wall(at: float) -> str:
    """As the client's log writes its times."""
    return time.strftime("%H:%M:%S", time.localtime(at)) + f",{int(at % 1 * 1000):03d}"


async def _compare(clients: list[str], replies: int, tries: int, trace: bool,
                   person_delayed: bool = False, save: Path | None = None) -> list[dict[str, Any]]:
    config = SessionConfig(instructions=build_instructions(TherapyType.GENERAL), tools=tool_definitions())
    questions = [make(text) for text in SENTENCES]
    interruption = make(INTERRUPTION)
    runs = []
    with echo_room(person_delayed=person_delayed):
        engine = LocalEngine(record_events=True)
        await engine.start()
        await engine.models.ready()
        await _warm_up(engine, questions[0])
        browser = BrowserBaseline(engine.base_url, engine.api_key, config.to_session(), config.to_update())
        await browser.start()
        harness = RoomHarness().__enter__()
        try:
            for client in clients:
                print(f"{client} …", file=sys.stderr, flush=True)
                runs.append(await _run(client, engine, browser, harness, questions, interruption, replies, tries,
                                       trace, save))
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
                await asyncio.sleep(2)
        finally:
            harness.__exit__()
            await browser.stop()
            await engine.stop()
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=6)
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--trace", action="store_true", help="the desktop client's --debug log, lined up with the room")
    parser.add_argument("--person-delayed", action="store_true",
                        help="the room before 2026-12-03: the person reaches the microphone through the echo's 40 ms too")
    parser.add_argument("--save", type=Path, help="write each client's barge-in recording here (stereo WAV)")
    args = parser.parse_args(argv)
    runs = asyncio.run(_compare(args.clients.split(","), args.replies, args.tries, args.trace, args.person_delayed,
                                args.save))
    rows = ["self_interruptions", "reply_seconds_heard", "self_interruptions_per_10s", "barge_ins_tried",
            "barge_ins_honoured", "stop_ms_median", "stop_ms_p90", "cpu_s_per_min"]
    print("| | " + " | ".join(r["client"] for r in runs) + " |")
    print("|---|" + "---|" * len(runs))
    for row in rows:
        print(f"| {row} | " + " | ".join(str(r[row]) for r in runs) + " |")
    print(json.dumps(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
