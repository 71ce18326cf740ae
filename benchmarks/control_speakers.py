"""Control players for the soak: is an underflow the client's, or the machine's?

Two players with nothing to do but keep a null sink of the same PulseAudio server fed, for as long
as the soak runs, each with the speaker's 40 ms of buffer and real-time threads where allowed:

- `portaudio`: this process, the client's path without the client: rtmixer on PortAudio's ALSA
  host API and ALSA's PulseAudio plugin, 20 ms blocks, its ring kept half a second ahead by a
  thread, so only the device side can be late.
- `pacat`: libpulse directly (no ALSA plugin), `pacat --latency-msec=40` reading /dev/zero.

If they underflow at the moments the client does, the cause lies below the process. The PortAudio
player prints one line per underflow with its monotonic time (the soak's clock), and a heartbeat;
pacat's "Stream underrun" lines are stamped as they are read. A player that stops, or stops
beating, is reported as failed (`Controls.failures`) rather than read as a clean run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

CONTROL_SINK = "td_control"
_AHEAD_S = 0.5
HEARTBEAT_S = 5.0


def _play_through_portaudio(seconds: float) -> None:
    import rtmixer
    import sounddevice as sd

    from therapy_desktop.audio import realtime_threads
    from therapy_desktop.audio.devices import SPEAKER_BLOCK_MS, SPEAKER_LATENCY

    rate = 48_000
    threads = realtime_threads.thread_ids()
    mixer = rtmixer.Mixer(channels=1, samplerate=rate, blocksize=rate * SPEAKER_BLOCK_MS // 1000,
                          latency=SPEAKER_LATENCY)
    realtime_threads.ask_portaudio(sd, mixer)
    mixer.start()
    realtime_threads.raise_pulse_threads(threads)
    ring = rtmixer.RingBuffer(4, 2 ** 16)  # float32 mono (rtmixer's format): 1.4 s
    tone = (np.sin(np.arange(rate) * 2 * np.pi * 220 / rate) * 0.1).astype(np.float32)
    position = 0

    def top_up() -> None:
        nonlocal position
        while ring.read_available < rate * _AHEAD_S:
            position += ring.write(tone[position % rate :][:480].tobytes())

    top_up()  # full before it plays: rtmixer ends a ring's play action when the ring runs dry
    playing = mixer.play_ringbuffer(ring)
    print(f"ready {realtime_threads.count()} real-time threads", flush=True)
    stats = mixer.fetch_and_reset_stats()  # its answer is the start-up's count, not the run's: dropped
    counting = False
    ends = time.monotonic() + seconds
    beat = 0.0
    while time.monotonic() < ends:
        top_up()
        if playing not in mixer.actions:  # ran dry (the process stalled half a second): play on, and say so
            print(f"dry {time.monotonic():.3f}", flush=True)
            top_up()
            playing = mixer.play_ringbuffer(ring)
        if stats not in mixer.actions:  # answered by the callback itself
            for _ in range(stats.stats.output_underflows if counting else 0):
                print(f"underflow {time.monotonic():.3f}", flush=True)
            counting = True
            stats = mixer.fetch_and_reset_stats()
        if time.monotonic() - beat >= HEARTBEAT_S:  # a callback that stopped answering stops this too
            beat = time.monotonic()
            print(f"alive {beat:.3f} played {position}", flush=True)
        time.sleep(0.05)
    mixer.stop()


class Controls:
    """What the players reported so far: underflow times (monotonic) and any failure."""

    def __init__(self) -> None:
        self.underflows: dict[str, list[float]] = {"portaudio": [], "pacat": []}
        self.dry: list[float] = []  # the PortAudio player's ring ran dry (its own process stalled)
        self.last_beat: float | None = None
        self.failures: list[str] = []


def _read_portaudio(stream, controls: Controls, tail: deque[str]) -> None:
    for line in stream:
        tail.append(line)
        kind, _, rest = line.partition(" ")
        if kind in ("underflow", "dry", "alive"):
            at = float(rest.split()[0])
            if kind == "underflow":
                controls.underflows["portaudio"].append(at)
            elif kind == "dry":
                controls.dry.append(at)
            else:
                controls.last_beat = at


def _read_pacat(stream, controls: Controls, tail: deque[str]) -> None:
    for line in stream:
        tail.append(line)
        if "Stream underrun" in line:
            controls.underflows["pacat"].append(time.monotonic())


@contextmanager
def control_players(seconds: float) -> Iterator[Controls]:
    """Starts both players on `CONTROL_SINK` (load it first) and checks on them as it ends."""
    env = dict(os.environ, PULSE_SINK=CONTROL_SINK)
    controls = Controls()
    chrt = ["chrt", "-f", "1"] if shutil.which("chrt") and _may_run_realtime() else []
    players = [
        ("portaudio", [sys.executable, "-m", "benchmarks.control_speakers", str(seconds)], _read_portaudio),
        ("pacat", [*chrt, "pacat", "-v", "--playback", "--raw", "--format=s16le", "--rate=48000", "--channels=1",
                   "--latency-msec=40", f"--device={CONTROL_SINK}", "/dev/zero"], _read_pacat),
    ]
    processes = []
    for name, command, reader in players:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tail: deque[str] = deque(maxlen=20)
        threading.Thread(target=reader, args=(process.stdout, controls, tail), daemon=True).start()
        processes.append((name, process, tail))
    try:
        yield controls
    finally:
        if controls.last_beat is None or time.monotonic() - controls.last_beat > 3 * HEARTBEAT_S:
            controls.failures.append(f"the PortAudio player stopped beating (last: {controls.last_beat})")
        for name, process, tail in processes:
            if process.poll() is not None:  # a control that stopped playing proves nothing: say so
                controls.failures.append(f"{name} ended early (rc {process.returncode}): {''.join(tail)[-500:]}")
            process.terminate()
            process.wait(5)


def _may_run_realtime() -> bool:
    from therapy_desktop.audio import realtime_threads

    return realtime_threads.allowed()


if __name__ == "__main__":
    _play_through_portaudio(float(sys.argv[1]))
