"""What a connected Demo session costs when nobody speaks: the engine in one process, the headless
client in another (its microphone a silent WAV), CPU of each measured over a quiet stretch.

    python -m benchmarks.idle                 # 30 s measured after 35 s of settling
    python -m benchmarks.idle --measure 20 --settle 25

Prints the share of one core each process used, and the engine's memory (RSS, and VmHWM peak).
The settling time covers the connect and the engine's background warm-up of its voice cache.
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
    args = parser.parse_args(argv)
    from therapy_desktop.audio.sinks import write_wav

    with tempfile.TemporaryDirectory() as folder:
        mic = Path(folder) / "silence.wav"
        write_wav(mic, np.zeros(int((args.settle + args.measure + 30) * 48_000), dtype=np.int16), 48_000)
        engine = subprocess.Popen([sys.executable, "-m", "therapy_desktop.engine.cli"], cwd=REPOSITORY,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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
            client = subprocess.Popen(
                [sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "openai", "--mic-wav", str(mic),
                 "--speaker-wav", str(Path(folder) / "out.wav"), "--timeout", str(args.settle + args.measure + 20)],
                cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(args.settle)
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
    return 0


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
