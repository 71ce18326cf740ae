"""Sound without hardware: PulseAudio null sinks wired like a room, and a harness that speaks and listens.

    harness ──► td_both (combine) ──► td_micsink ──monitor──► td_mic  (the clients' default microphone)
                                  └─► td_speaker ◄── the clients' default output
    harness ◄── td_speaker.monitor: the harness's own utterance and the client's reply, in one timeline

Because the harness hears its utterance and the reply in the same recording, no device clock
needs to be trusted: reply latency is measured in recorded samples.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RATE = 48_000
WINDOW = RATE // 200  # 5 ms analysis windows
LOUD = 300.0  # int16 RMS: speech from espeak-ng and piper sits far above, null sinks are digital silence

SPEAKER, MIC_SINK, MIC, BOTH = "td_speaker", "td_micsink", "td_mic", "td_both"


def _pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], check=True, capture_output=True, text=True).stdout.strip()


@contextlib.contextmanager
def private_pulseaudio() -> Iterator[None]:
    """A PulseAudio server of our own, for this process and its children: whatever a developer's
    desktop is playing, and whatever else runs on a shared machine, stays out of the measurement."""
    runtime = Path(tempfile.mkdtemp(prefix="td-pulse-"))
    env = {"PULSE_RUNTIME_PATH": str(runtime), "PULSE_SERVER": f"unix:{runtime}/native"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        subprocess.run(["pulseaudio", "--daemonize", "--exit-idle-time=-1", "-n", "--use-pid-file=yes",
                        f"--load=module-native-protocol-unix socket={runtime}/native auth-anonymous=1"],
                       check=True, capture_output=True)
        for _ in range(100):
            if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the private PulseAudio server did not start")
        yield
    finally:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(runtime, ignore_errors=True)


@contextlib.contextmanager
def pulse_room() -> Iterator[None]:
    """A private server with the sinks above, made the defaults."""
    with private_pulseaudio():
        _pactl("load-module", "module-null-sink", f"sink_name={SPEAKER}", "rate=48000")
        _pactl("load-module", "module-null-sink", f"sink_name={MIC_SINK}", "rate=48000")
        _pactl("load-module", "module-remap-source", f"master={MIC_SINK}.monitor", f"source_name={MIC}")
        _pactl("load-module", "module-combine-sink", f"sink_name={BOTH}", f"slaves={MIC_SINK},{SPEAKER}", "rate=48000")
        _pactl("set-default-sink", SPEAKER)
        _pactl("set-default-source", MIC)
        yield


@contextlib.contextmanager
def _pulse_device_env(sink: str | None = None, source: str | None = None) -> Iterator[None]:
    """libpulse reads PULSE_SINK/PULSE_SOURCE when a stream connects: set them only around that."""
    saved = {k: os.environ.get(k) for k in ("PULSE_SINK", "PULSE_SOURCE")}
    if sink:
        os.environ["PULSE_SINK"] = sink
    if source:
        os.environ["PULSE_SOURCE"] = source
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class TurnResult:
    utterance_end: float  # seconds into the recording where the person's last word ended
    reply_onset: float | None  # where the therapist's voice began (None: no reply heard)

    @property
    def latency_ms(self) -> float | None:
        return None if self.reply_onset is None else (self.reply_onset - self.utterance_end) * 1000


@dataclass
class SpeechHarness:
    """Plays utterances into the room and records it; knows in real time when a reply is over."""

    recording: list[np.ndarray] = field(default_factory=list)
    recorded: int = 0  # samples
    _queue: list[np.ndarray] = field(default_factory=list)
    _last_loud: int = -10**9  # recording sample index of the last loud window

    def __enter__(self) -> SpeechHarness:
        import sounddevice as sd

        sd._terminate()  # PortAudio lists devices once; the room was just built
        sd._initialize()
        with _pulse_device_env(sink=BOTH):
            self._out = sd.OutputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=WINDOW * 2,
                                        latency="low", callback=self._play)
            self._out.start()
        with _pulse_device_env(source=f"{SPEAKER}.monitor"):
            self._in = sd.InputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=WINDOW * 2,
                                      latency="low", callback=self._record)
            self._in.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self._out, self._in):
            stream.stop()
            stream.close()

    def _play(self, outdata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        out = np.zeros(frames, dtype=np.int16)
        filled = 0
        while filled < frames and self._queue:
            chunk = self._queue[0]
            take = min(frames - filled, len(chunk))
            out[filled : filled + take] = chunk[:take]
            filled += take
            self._queue[0] = chunk[take:]
            if not len(self._queue[0]):
                self._queue.pop(0)
        outdata[:, 0] = out

    def _record(self, indata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        block = indata[:, 0].copy()
        self.recording.append(block)
        for start in range(0, len(block) - WINDOW + 1, WINDOW):
            if _rms(block[start : start + WINDOW]) > LOUD:
                self._last_loud = self.recorded + start
        self.recorded += len(block)

    async def speak(self, pcm: np.ndarray) -> int:
        """Play `pcm` into the room; returns the recording position when it was queued."""
        position = self.recorded
        self._queue.append(pcm)
        while self._queue:
            await asyncio.sleep(0.01)
        return position

    async def wait_for_reply(self, after: int, quiet_seconds: float = 1.5, timeout: float = 30.0) -> bool:
        """After the utterance queued at `after`: wait until a reply has been heard and has ended."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        utterance_end: int | None = None
        while loop.time() < deadline:
            await asyncio.sleep(0.02)
            if utterance_end is None:
                # The utterance's own copy: loud then at least 300 ms quiet.
                if self._last_loud > after and self.recorded - self._last_loud > RATE * 0.3:
                    utterance_end = self._last_loud
                continue
            if self._last_loud > utterance_end + RATE * 0.3 and self.recorded - self._last_loud > RATE * quiet_seconds:
                return True
        return False

    async def wait_for_greeting(self, quiet_seconds: float = 1.5, timeout: float = 30.0) -> bool:
        """The AI companion speaks first: wait until its greeting has been heard and has ended."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            await asyncio.sleep(0.02)
            if self._last_loud >= 0 and self.recorded - self._last_loud > RATE * quiet_seconds:
                return True
        return False

    def audio(self) -> np.ndarray:
        return np.concatenate(self.recording) if self.recording else np.zeros(0, dtype=np.int16)


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.astype(np.float32)))))


def loud_windows(pcm: np.ndarray) -> np.ndarray:
    """Start sample of every loud 5 ms window."""
    n = len(pcm) // WINDOW
    windows = pcm[: n * WINDOW].astype(np.float32).reshape(n, WINDOW)
    rms = np.sqrt(np.mean(np.square(windows), axis=1))
    return np.nonzero(rms > LOUD)[0] * WINDOW


def analyse_turns(recording: np.ndarray, queued_at: list[int], voiced_seconds: list[float]) -> list[TurnResult]:
    """Find, per turn, where the utterance's copy ended and where the next sound (the reply) began."""
    loud = loud_windows(recording)
    results = []
    for index, (start, voiced) in enumerate(zip(queued_at, voiced_seconds, strict=True)):
        copy = loud[loud >= start]
        if not len(copy):
            results.append(TurnResult(start / RATE, None))
            continue
        onset = copy[0]
        end = onset + int(voiced * RATE)
        # The last loud window of the utterance itself (it may end a little before its nominal length).
        own = copy[(copy >= onset) & (copy <= end + RATE // 10)]
        utterance_end = (own[-1] + WINDOW) if len(own) else end
        limit = queued_at[index + 1] if index + 1 < len(queued_at) else len(recording)
        after = loud[(loud > utterance_end + RATE * 0.2) & (loud < limit)]
        results.append(TurnResult(utterance_end / RATE, after[0] / RATE if len(after) else None))
    return results
