"""What a connected Demo session costs when nobody speaks: the engine in one process, the headless
client in another (its microphone a silent WAV), CPU of each measured over a quiet stretch.

    python -m benchmarks.idle                 # 30 s measured after 35 s of settling
    python -m benchmarks.idle --measure 20 --settle 25

Prints the share of one core each process used, and the engine's memory (RSS, and VmHWM peak).
Measuring starts once the settling time has passed *and* the engine has logged the end of its
one-off background warm-up of the voice cache (on a loaded machine that takes longer than the
settling time, and an "idle" measured over it was the warm-up's synthesis); the warm-up's own
cost is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

REPOSITORY = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.idle", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settle", type=float, default=35.0, help="seconds after connecting before measuring")
    parser.add_argument("--measure", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--warm-up-limit", type=float, default=240.0,
                        help="seconds to wait at most for the voice cache's warm-up (then measure anyway)")
    args = parser.parse_args(argv)
    from therapy_desktop.audio.sinks import write_wav

    with tempfile.TemporaryDirectory() as folder:
        mic = Path(folder) / "silence.wav"
        longest = args.settle + args.warm_up_limit + args.measure
        write_wav(mic, np.zeros(int((longest + 30) * 48_000), dtype=np.int16), 48_000)
        engine_log = Path(folder) / "engine.log"
        engine = subprocess.Popen([sys.executable, "-m", "therapy_desktop.engine.cli"], cwd=REPOSITORY,
                                  stdout=subprocess.PIPE, stderr=engine_log.open("w"), text=True)
        try:
            from benchmarks.runner import _scratch_dirs

            # Terms accepted and the history in a scratch folder, as every benchmark client (without
            # them the client refuses at once and the "idle" numbers were two exited processes).
            env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                       THERAPY_DESKTOP_ACCEPT_TERMS="1", **_scratch_dirs())
            assert engine.stdout is not None
            for line in engine.stdout:
                key, _, value = line.strip().partition("=")
                if key in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
                    env[key] = value
                if line.strip() == "ready":
                    break
            ready_at, ready_cpu = time.monotonic(), _cpu(psutil.Process(engine.pid))
            client = subprocess.Popen(
                [sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "openai", "--mic-wav", str(mic),
                 "--speaker-wav", str(Path(folder) / "out.wav"), "--timeout", str(longest + 20)],
                cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(args.settle)
                warm = _wait_for_warm_up(engine_log, ready_at + args.settle + args.warm_up_limit)
                warm_up = (time.monotonic() - ready_at, _cpu(psutil.Process(engine.pid)) - ready_cpu) if warm else None
                if client.poll() is not None:
                    raise SystemExit(f"the client exited (status {client.returncode}) before it was measured")
                shares = _cpu_shares({"engine": engine.pid, "client": client.pid}, args.measure)
                memory = psutil.Process(engine.pid).memory_info().rss / 2**20
                peak = _vm_hwm_mb(engine.pid)
            finally:
                client.terminate()
                client.wait(20)
        finally:
            engine.terminate()
            engine.wait(20)
    load = os.getloadavg()
    print(f"idle Demo session, {args.measure:.0f} s measured after {args.settle:.0f} s; load average "
          f"{load[0]:.2f} {load[1]:.2f}")
    print("| process | % of one core |")
    print("|---|---|")
    for name, share in shares.items():
        print(f"| {name} | {share:.1f} |")
    print(f"engine memory: {memory:.0f} MB RSS now, {peak:.0f} MB peak (VmHWM)")
    if warm_up is None:
        print(f"the voice cache's warm-up had not ended after {args.warm_up_limit:.0f} s: measured during it")
    else:
        print(f"before measuring: connect, greeting and the voice cache's warm-up took {warm_up[0]:.0f} s "
              f"and {warm_up[1]:.1f} s of engine CPU")
    return 0


def _wait_for_warm_up(engine_log: Path, deadline: float) -> bool:
    """Until the engine logs that its voice cache is ready (True), or the deadline (False)."""
    while time.monotonic() < deadline:
        if "voice cache:" in engine_log.read_text(errors="replace"):
            time.sleep(2.0)  # the last sentence's buffers released, the thread gone
            return True
        time.sleep(0.5)
    return False


def _cpu_shares(pids: dict[str, int], seconds: float) -> dict[str, float]:
    processes = {name: psutil.Process(pid) for name, pid in pids.items()}
    before = {name: _cpu(p) for name, p in processes.items()}
    started = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - started
    return {name: 100 * (_cpu(p) - before[name]) / wall for name, p in processes.items()}


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    raise SystemExit(main())
