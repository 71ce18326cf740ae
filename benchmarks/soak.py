"""A long Demo session through the PulseAudio room: memory growth, playback underruns and loop
lag over time (`python -m benchmarks.soak --minutes 60`). The desktop client runs headless with
its probes, the engine in this process, the person speaking every `--every` seconds.

It also crosses the service's cap the way a 60-minute call would: `--call-cap-minutes` makes
the client renew its call proactively (THERAPY_DESKTOP_CALL_CAP_SECONDS), so the rows cover
renewals too. `--busy-core` keeps one core busy with another process for the whole run (issue 19's
"underruns under load" row). `--controls` runs two players that do nothing but feed a sink of the same
server (`benchmarks/control_speakers.py`), to tell the client's underflows from the machine's. Run by hand; results in benchmarks/README.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from benchmarks.audio_rig import SpeechHarness, _pactl, pulse_room
from benchmarks.control_speakers import CONTROL_SINK, Controls, control_players
from benchmarks.runner import RESULTS, _launch_desktop, _stop, _take_metrics, _wait_desktop_connected, _warm_up
from benchmarks.utterances import turn_utterances
from therapy_desktop.engine import LocalEngine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--every", type=float, default=40.0, help="seconds between the person's turns")
    parser.add_argument("--call-cap-minutes", type=float, default=None, help="renew the call this often (default: the service's 60)")
    parser.add_argument("--busy-core", action="store_true", help="keep one core busy with another process throughout")
    parser.add_argument("--controls", action="store_true", help="two control players in the same room (see control_speakers)")
    args = parser.parse_args(argv)
    # Another program hogging a core (a build, a browser tab): the speaker must not glitch for it.
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy_core else None
    try:
        result = asyncio.run(_soak(args.minutes, args.every, args.call_cap_minutes, args.controls))
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    result["summary"]["busy_core"] = args.busy_core
    out = RESULTS / time.strftime("soak-%Y%m%d-%H%M%S.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["summary"], indent=1))
    print(f"raw results: {out}")
    return 0


async def _soak(minutes: float, every: float, cap_minutes: float | None, controls: bool) -> dict:
    utterances = turn_utterances(6)
    with pulse_room(), contextlib.ExitStack() as stack:
        players = stack.enter_context(_controls(minutes)) if controls else None
        engine = LocalEngine(record_events=False)
        await engine.start()
        await engine.models.ready()
        await _warm_up(engine, utterances[0])
        metrics = Path(tempfile.mkstemp(prefix="soak-desktop-", suffix=".json")[1])
        extra = {"BENCH_PROBES": "soak"}
        if cap_minutes:
            extra["THERAPY_DESKTOP_CALL_CAP_SECONDS"] = str(cap_minutes * 60)
        # The app closes a session at its length setting (30 minutes by default): longer for a soak.
        process = await _launch_desktop("desktop-headless", engine, metrics, display="", extra_env=extra,
                                        timeout=minutes * 60 + 120, settings={"session_minutes": 180})
        await _wait_desktop_connected(process, 60)
        client = psutil.Process(process.pid)
        rss: list[tuple[float, float]] = []
        spoken_at: list[float] = []  # monotonic (the client's clock too) when each turn began
        replies = turns = 0
        started = time.monotonic()
        with SpeechHarness() as harness:
            greeted = await harness.wait_for_greeting()
            while time.monotonic() - started < minutes * 60:
                cycle = time.monotonic()
                spoken_at.append(cycle)
                position = await harness.speak(utterances[turns % len(utterances)].pcm)
                turns += 1
                replies += bool(await harness.wait_for_reply(position))
                rss.append(((time.monotonic() - started) / 60, client.memory_info().rss / 2**20))
                print(f"{rss[-1][0]:5.1f} min: {turns} turns, {replies} replies, RSS {rss[-1][1]:.0f} MB",
                      file=sys.stderr, flush=True)
                await asyncio.sleep(max(0.0, every - (time.monotonic() - cycle)))
        await _stop(process, "desktop-headless")
        await engine.stop()
    probes = _take_metrics(metrics)
    histogram = {int(b) / 10: n for b, n in probes.get("loop_lag_histogram_0p1ms", {}).items()}
    after_warm_up = [mb for at, mb in rss if at >= 2.0] or [mb for _, mb in rss]
    summary = {
        "minutes": round((time.monotonic() - started) / 60, 1),
        "greeting_heard": greeted,
        "turns": turns,
        "replies_heard": replies,
        "rss_start_mb": round(after_warm_up[0], 1),
        "rss_end_mb": round(rss[-1][1], 1),
        "memory_growth_mb": round(rss[-1][1] - after_warm_up[0], 1),
        "playback_underruns": probes.get("speaker_underflows"),  # the device's own flags
        "playback_gaps": probes.get("speaker_gaps"),  # the speaker's ring ran dry mid-stream
        "mic_covered_frames": probes.get("mic_covered_frames"),  # uplink frames the device was late for
        "loop_lag_p50_ms": _histogram_percentile(histogram, 0.5),
        "loop_lag_p99_ms": _histogram_percentile(histogram, 0.99),
        "loop_lag_p999_ms": _histogram_percentile(histogram, 0.999),
        "loop_lag_samples_over_16_ms": sum(n for lag, n in histogram.items() if lag >= 16),
        "loop_lag_max_ms": max(histogram, default=None),
        "call_renewals": probes.get("renewals"),
    }
    # When things went wrong, in seconds from the start, to line up with the turns.
    events = {name: [[round(at - started, 2), *rest] for at, *rest in probes.get(name, [])]
              for name in ("stalls", "underflow_times", "gc_pauses")}
    events["turns_spoken_s"] = [round(at - started, 2) for at in spoken_at]
    if players is not None:  # counted over the same stretch as the client's (not the warm-up before it)
        for name, times in players.underflows.items():
            summary[f"control_{name}_underruns"] = sum(at >= started for at in times)
            events[f"control_{name}_underflow_times"] = [round(at - started, 2) for at in times]
        summary["control_portaudio_ran_dry"] = len(players.dry)
        summary["control_failures"] = players.failures
    return {"summary": summary, "rss_mb": rss, "events": events}


@contextlib.contextmanager
def _controls(minutes: float) -> Iterator[Controls]:
    _pactl("load-module", "module-null-sink", f"sink_name={CONTROL_SINK}", "rate=48000")
    with control_players(minutes * 60 + 600) as players:
        yield players


def _histogram_percentile(histogram: dict[float, int], q: float) -> float | None:
    """The smallest lag (ms, 0.1 ms bins) at or below which a `q` share of the samples lie."""
    total = sum(histogram.values())
    seen = 0
    for lag in sorted(histogram):
        seen += histogram[lag]
        if seen >= q * total:
            return lag
    return None


if __name__ == "__main__":
    raise SystemExit(main())
