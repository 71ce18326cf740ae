"""Control players for the soak: is an underflow the client's, or the machine's?

Two players with nothing to do but keep a null sink of the same PulseAudio server fed, for as long
as the soak runs, each with the speaker's 40 ms of buffer and real-time threads where allowed:

- `portaudio`: this process, the client's path without the client: rtmixer on PortAudio's ALSA
  host API and ALSA's PulseAudio plugin, 20 ms blocks, its ring kept half a second ahead by a
  thread, so only the device side can be late.
- `pacat`: libpulse directly (no ALSA plugin), `pacat --latency-msec=40` reading /dev/zero.

If they underflow at the moments the client does, the cause lies below the process. Each prints one
line per underflow with the monotonic time (the soak's clock), which `collect` reads.
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
    mixer.play_ringbuffer(ring)
    print(f"ready {realtime_threads.count()} real-time threads", flush=True)
    mixer.wait(mixer.fetch_and_reset_stats())  # the start-up's count is not the run's
    position = 0
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        while ring.read_available < rate * _AHEAD_S:
            chunk = tone[position % rate:][:480]
            position += ring.write(chunk.tobytes())
        # Answered by the callback itself; waiting here is fine, the ring is half a second ahead.
        action = mixer.fetch_and_reset_stats()
        mixer.wait(action)
        for _ in range(action.stats.output_underflows):
            print(f"underflow {time.monotonic():.3f}", flush=True)
        time.sleep(0.05)
    mixer.stop()


def _stamp(stream, marker: str, out: list[float], tail: deque[str]) -> None:
    for line in stream:
        tail.append(line)
        if marker in line:
            out.append(time.monotonic())


@contextmanager
def control_players(seconds: float) -> Iterator[dict[str, list[float]]]:
    """Starts both players on `CONTROL_SINK` (load it first); yields their underflow times so far."""
    env = dict(os.environ, PULSE_SINK=CONTROL_SINK)
    found: dict[str, list[float]] = {"portaudio": [], "pacat": []}
    chrt = ["chrt", "-f", "1"] if shutil.which("chrt") and _may_run_realtime() else []
    players = [
        ("portaudio", [sys.executable, "-m", "benchmarks.control_speakers", str(seconds)], "underflow "),
        ("pacat", [*chrt, "pacat", "-v", "--playback", "--raw", "--format=s16le", "--rate=48000", "--channels=1",
                   "--latency-msec=40", f"--device={CONTROL_SINK}", "/dev/zero"], "Stream underrun"),
    ]
    processes = []
    for name, command, marker in players:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tail: deque[str] = deque(maxlen=20)
        threading.Thread(target=_stamp, args=(process.stdout, marker, found[name], tail), daemon=True).start()
        processes.append((name, process, tail))
    try:
        yield found
    finally:
        for name, process, tail in processes:
            ended_early = process.poll() is not None
            process.terminate()
            process.wait(5)
            if ended_early:  # a control that stopped playing proves nothing: say so, loudly
                raise RuntimeError(f"control player {name} ended early (rc {process.returncode}):\n{''.join(tail)}")


def _may_run_realtime() -> bool:
    from therapy_desktop.audio import realtime_threads

    return realtime_threads.allowed()


if __name__ == "__main__":
    _play_through_portaudio(float(sys.argv[1]))
