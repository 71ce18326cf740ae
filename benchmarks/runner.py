"""Run the benchmark: the desktop client (headless and windowed) and a browser client, alternating,
against one local engine, through one PulseAudio room. See benchmarks/README.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from benchmarks.audio_rig import SpeechHarness, analyse_turns, pulse_room
from benchmarks.browser_client import BrowserBaseline, browser_env
from benchmarks.process_stats import CostMeter, peak_rss_bytes
from benchmarks.report import summarize, write_table
from benchmarks.utterances import AGREE, BREATHING, Utterance, make, turn_utterances
from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.session_config import SessionConfig
from therapy_desktop.therapy import TherapyType, build_instructions, tool_definitions

CLIENTS = ("desktop-headless", "browser", "desktop-window")
RESULTS = Path(__file__).parent / "results"
REPOSITORY = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="times each client runs (alternating)")
    parser.add_argument("--turns", type=int, default=6, help="spoken turns per run (plus one long reply)")
    parser.add_argument("--clients", default=",".join(CLIENTS), help=f"comma-separated, from {', '.join(CLIENTS)}")
    parser.add_argument("--out", type=Path, help="raw results JSON (default benchmarks/results/<time>.json)")
    args = parser.parse_args(argv)
    clients = [c.strip() for c in args.clients.split(",") if c.strip()]
    for client in clients:
        if client not in CLIENTS:
            parser.error(f"unknown client {client!r}")
    out = args.out or RESULTS / time.strftime("%Y%m%d-%H%M%S.json")
    runs = asyncio.run(_benchmark(clients, args.rounds, args.turns))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=1))
    summary = summarize(runs)
    print(write_table(summary, clients))
    print(f"\nraw results: {out}")
    return 0


async def _benchmark(clients: list[str], rounds: int, turns: int) -> list[dict[str, Any]]:
    config = SessionConfig(instructions=build_instructions(TherapyType.GENERAL), tools=tool_definitions())
    utterances = turn_utterances(turns)
    long_reply = [make(BREATHING), make(AGREE)]  # the offer, then the yes that starts the exercise
    runs = []
    # Only what the chosen clients need: a screen for the window, Chromium for the browser.
    with pulse_room(), (_display() if "desktop-window" in clients else contextlib.nullcontext("")) as display:
        engine = LocalEngine(record_events=True)  # keeps finished calls: their turn timings are read after
        await engine.start()
        await engine.models.ready()
        await _warm_up(engine, utterances[0])
        browser = BrowserBaseline(engine.base_url, engine.api_key, config.to_session(), config.to_update())
        if "browser" in clients:
            await browser.start()
        try:
            with SpeechHarness() as harness:
                for round_number in range(rounds):
                    for client in clients:
                        print(f"round {round_number + 1}/{rounds}: {client} …", file=sys.stderr, flush=True)
                        run = await _run_client(client, engine, browser, harness, utterances, long_reply, display)
                        run["round"] = round_number + 1
                        runs.append(run)
                        await asyncio.sleep(2)
        finally:
            if "browser" in clients:
                await browser.stop()
            await engine.stop()
    return runs


async def _run_client(client: str, engine: LocalEngine, browser: BrowserBaseline, harness: SpeechHarness,
                      utterances: list[Utterance], long_reply: list[Utterance], display: str) -> dict[str, Any]:
    calls_before = {c.id for c in [*engine.calls.values(), *engine.finished_calls]}
    metrics = Path(tempfile.mkstemp(prefix="bench-desktop-", suffix=".json")[1])
    launched_at = time.time()
    profile: Path | None = None
    if client == "browser":
        process, profile = await browser.launch(browser_env())
        connect = await browser.wait_connected(30)
    else:
        process = await _launch_desktop(client, engine, metrics, display)
        connect = await _wait_desktop_connected(process, 60)
    root = psutil.Process(process.pid)
    await asyncio.sleep(1.0)
    meter = CostMeter(root)
    meter.start()
    queued, spoken_at, heard = [], [], []
    for utterance in [*utterances, *long_reply]:
        position = await harness.speak(utterance.pcm)
        queued.append(position)
        spoken_at.append(time.monotonic())
        heard.append(await harness.wait_for_reply(position))
        await asyncio.sleep(0.5)
    await meter.stop()
    vm_peak = peak_rss_bytes(root)
    call = next((c for c in [*engine.calls.values(), *engine.finished_calls] if c.id not in calls_before), None)
    engine_turns = _engine_turns(call, spoken_at) if call else []
    await _stop(process, client)
    if profile is not None:
        shutil.rmtree(profile, ignore_errors=True)
    turns = analyse_turns(harness.audio(), queued, [u.voiced_seconds for u in [*utterances, *long_reply]])
    run: dict[str, Any] = {
        "client": client,
        "connect_s": connect,
        "latency_ms": [t.latency_ms for t in turns[: len(utterances)]],
        "long_reply_latency_ms": turns[-1].latency_ms,
        "replies_heard": sum(heard),
        "engine_turns": engine_turns[: len(utterances)],
        "cpu_s_per_min": meter.cpu_seconds_per_minute,
        "conversation_s": meter.wall_end - meter.wall_start,
        "peak_rss_sampled_mb": meter.peak_rss / 2**20,
        "peak_rss_vmhwm_mb": vm_peak / 2**20,
        "launched_at": launched_at,
    }
    if client != "browser":
        run["desktop"] = _take_metrics(metrics)
    return run


def _take_metrics(path: Path) -> dict[str, Any]:
    """The probes' file, written when the desktop client exited; removed once read."""
    data = json.loads(path.read_text()) if path.exists() and path.stat().st_size else {}
    path.unlink(missing_ok=True)
    return data


async def _warm_up(engine: LocalEngine, utterance: Utterance) -> None:
    """First real runs of ONNX and CTranslate2 are slower: pay them before anything is measured."""
    from therapy_desktop.audio.pcm import MonoResampler

    speech_16k = MonoResampler(16_000).convert_pcm(utterance.pcm, 48_000)
    for _ in range(2):
        await engine.models.transcribe(speech_16k)
        await engine.models.synthesize("Thank you for sharing that with me.")


def _engine_turns(call: Any, spoken_at: list[float]) -> list[dict[str, float | None]]:
    """Per spoken turn, where the engine's time went (ms)."""
    out = []
    for said in spoken_at:
        turn = next((t for t in call.turns if 0 <= t.speech_stopped - said < 5), None)
        if turn is None or turn.response is None or turn.response.timing.first_sent is None:
            out.append(None)
            continue
        timing = turn.response.timing
        out.append({
            "vad_silence_ms": turn.silence_ms,
            "transcribe_ms": ((turn.transcribed or turn.speech_stopped) - turn.speech_stopped) * 1000,
            "synthesize_ms": ((timing.first_synthesized or timing.decided) - (timing.decided or timing.started)) * 1000,
            "first_frame_ms": (timing.first_sent - (timing.first_synthesized or timing.first_sent)) * 1000,
            "leading_silence_ms": timing.leading_silence_ms,
            "engine_ms": turn.silence_ms + (timing.first_sent - turn.speech_stopped) * 1000 + timing.leading_silence_ms,
        })
    return out


async def _launch_desktop(client: str, engine: LocalEngine, metrics: Path, display: str, *,
                          extra_env: dict[str, str] | None = None, timeout: float = 3600,
                          settings: dict[str, Any] | None = None,
                          app_args: list[str] | None = None) -> asyncio.subprocess.Process:
    env = browser_env()
    env.update({"OPENAI_BASE_URL": engine.base_url, "OPENAI_API_KEY": engine.api_key,
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "DISPLAY": display,
                # A benchmark run is not a person: terms accepted, history and logs kept in a throwaway folder.
                "THERAPY_DESKTOP_ACCEPT_TERMS": "1", **_scratch_dirs(settings), **(extra_env or {})})
    env.pop("QT_QPA_PLATFORM", None)
    app_args = ["--mode", "openai", "--therapy", "general", *(app_args or [])]
    own = [str(metrics)]
    if client == "desktop-headless":
        app_args += ["--headless", "--timeout", str(timeout)]
    else:
        own.append("--autostart")
    # The client's stderr goes beside its metrics: a run whose numbers are missing can say why.
    stderr = metrics.with_suffix(".stderr.log").open("wb")  # noqa: ASYNC230 - a local file, opened once
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.desktop_client", *own, "--", *app_args,
            stdout=asyncio.subprocess.PIPE, stderr=stderr, env=env, cwd=REPOSITORY)
    finally:
        stderr.close()  # the child holds its own copy


def _scratch_dirs(settings: dict[str, Any] | None = None) -> dict[str, str]:
    """Fresh app folders for one client run; `settings` (fields of the settings file) written into its config."""
    root = Path(tempfile.mkdtemp(prefix="therapy-bench-"))
    if settings:
        (root / "config").mkdir()
        (root / "config" / "settings.json").write_text(json.dumps({"version": 1, "settings": settings}))
    return {f"THERAPY_DESKTOP_{kind}_DIR": str(root / kind.lower()) for kind in ("DATA", "CONFIG", "LOG")}


async def _wait_desktop_connected(process: asyncio.subprocess.Process, timeout: float) -> dict[str, float]:
    assert process.stdout is not None

    async def read() -> dict[str, float]:
        async for line in process.stdout:
            text = line.decode().strip()
            if text.startswith("BENCH connected "):
                return json.loads(text.removeprefix("BENCH connected "))
        raise RuntimeError("the desktop client exited before connecting")

    return await asyncio.wait_for(read(), timeout)


async def _stop(process: asyncio.subprocess.Process, client: str) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 20)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


@contextlib.contextmanager
def _display() -> Iterator[str]:
    """The window client needs a screen: this one's, or a private Xvfb."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    server = subprocess.Popen(["Xvfb", ":97", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    try:
        yield ":97"
    finally:
        server.terminate()
        server.wait(10)


def _machine() -> dict[str, Any]:
    load = os.getloadavg()
    busy = sorted((p.info["cpu_percent"] or 0.0, p.info["name"]) for p in psutil.process_iter(["name", "cpu_percent"]))
    return {
        "cores": os.cpu_count(),
        "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?"),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average": load,
        "python": sys.version.split()[0],
        "chromium": subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
        if shutil.which("chromium") else None,
        "other_busy_processes": [name for cpu, name in busy[-5:] if cpu > 5],
    }
