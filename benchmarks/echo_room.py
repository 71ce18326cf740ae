"""An echo room without hardware: what the app plays comes back into its microphone, delayed and
attenuated, mixed with a person speaking; both are recorded on one timeline.

    app ──► td_speaker (remap → left of td_scope) ────────────┐
    person ──► td_person (combine) ──► td_person_scope (remap → right of td_scope)
                                  └──────────────────────────────────────► td_micsink
                                                                td_scope (stereo null sink)
    td_scope.monitor ──loopback (delay; left attenuated, right muted)──► td_micsink ──monitor──► td_mic (the app's mic)
    harness ◄── td_scope.monitor: left = what reached the speaker, right = the person, sample-aligned

The person reaches the microphone as they reach the scope, as in a room, where they sit half a
metre from it; only the speaker's sound takes the echo path's delay. (Until 2026-12-03 the person
came through the loopback too, 40 ms late, which added those 40 ms to every barge-in stop time of
both clients; `person_delayed=True` keeps that room for comparison.)

Stop times are measured in recorded samples (the person's onset on the right channel to the
last sound of the reply on the left), so no clock of the test machine is trusted.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from benchmarks.audio_rig import RATE, _pactl, _pulse_device_env, private_pulseaudio

SCOPE, SPEAKER, PERSON, MIC_SINK, MIC = "td_scope", "td_speaker", "td_person", "td_micsink", "td_mic"
PERSON_SCOPE = "td_person_scope"
WINDOW = RATE // 200  # 5 ms
LOUD = 300.0  # int16 RMS
STOP_QUIET = 0.6  # seconds of silence on the speaker that count as "the reply stopped"


@contextlib.contextmanager
def echo_room(delay_ms: int = 40, echo_gain: float = 0.35, person_delayed: bool = False) -> Iterator[dict[str, str]]:
    """The private server with the room above; yields the module ids (for unloading in tests)."""
    with private_pulseaudio():
        person_sink = PERSON if person_delayed else PERSON_SCOPE
        modules = {
            "scope": _pactl("load-module", "module-null-sink", f"sink_name={SCOPE}", "channels=2",
                            "channel_map=front-left,front-right", f"rate={RATE}"),
            "speaker": _pactl("load-module", "module-remap-sink", f"sink_name={SPEAKER}", f"master={SCOPE}",
                              "channels=1", "channel_map=mono", "master_channel_map=front-left", "remix=no"),
            "person": _pactl("load-module", "module-remap-sink", f"sink_name={person_sink}", f"master={SCOPE}",
                             "channels=1", "channel_map=mono", "master_channel_map=front-right", "remix=no"),
            "micsink": _pactl("load-module", "module-null-sink", f"sink_name={MIC_SINK}", "channels=1", f"rate={RATE}"),
            "mic": _pactl("load-module", "module-remap-source", f"master={MIC_SINK}.monitor", f"source_name={MIC}"),
            "loopback": _pactl("load-module", "module-loopback", f"source={SCOPE}.monitor", f"sink={MIC_SINK}",
                               f"latency_msec={delay_ms}", "channels=2", f"rate={RATE}", "adjust_time=0", "source_dont_move=true", "sink_dont_move=true"),
        }
        if not person_delayed:  # the person into the scope and straight into the microphone, at once
            modules["person_direct"] = _pactl("load-module", "module-combine-sink", f"sink_name={PERSON}",
                                              f"slaves={PERSON_SCOPE},{MIC_SINK}", "channels=1", f"rate={RATE}")
        _attenuate_left(modules["loopback"], echo_gain, person_too=person_delayed)
        _pactl("set-default-sink", SPEAKER)
        _pactl("set-default-source", MIC)
        yield modules


def _attenuate_left(loopback_module: str, gain: float, person_too: bool) -> None:
    """The loopback's capture of the scope: the speaker (left) at `gain`; the person (right) as is
    when `person_too`, otherwise muted (they reach the microphone directly)."""
    for _ in range(50):
        for line in _pactl("list", "short", "source-outputs").splitlines():
            columns = line.split("\t")  # index, source, owner module ("-" on some versions), driver
            if columns[2] == loopback_module or (columns[2] == "-" and "loopback" in line):
                # PulseAudio volumes are cubic; the stereo → mono downmix halves each channel.
                left, right = (2 * gain) ** (1 / 3) * 100, 2 ** (1 / 3) * 100 if person_too else 0
                _pactl("set-source-output-volume", columns[0], f"{left:.0f}%", f"{right:.0f}%")
                return
        time.sleep(0.05)
    raise RuntimeError("the echo room's loopback did not start")


@dataclass
class RoomHarness:
    """Speaks as the person into the room and records the scope (left: speaker, right: person)."""

    recording: list[np.ndarray] = field(default_factory=list)
    recorded: int = 0
    _queue: list[np.ndarray] = field(default_factory=list)
    speaker_level: float = 0.0  # RMS of the last 20 ms block on the speaker channel
    # Wall-clock time of the recording's first sample (as its first block arrived, less the block):
    # lines up the room with a client's log to within the input's latency.
    started_wall: float | None = None

    def __enter__(self) -> RoomHarness:
        import sounddevice as sd

        sd._terminate()  # PortAudio lists devices once; the room was just built
        sd._initialize()
        with _pulse_device_env(sink=PERSON):
            self._out = sd.OutputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=WINDOW * 2,
                                        latency="low", callback=self._play)
            self._out.start()
        with _pulse_device_env(source=f"{SCOPE}.monitor"):
            self._in = sd.InputStream(samplerate=RATE, channels=2, dtype="int16", blocksize=WINDOW * 4,
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
        block = indata.copy()
        if self.started_wall is None:
            self.started_wall = time.time() - frames / RATE
        self.recording.append(block)
        self.recorded += len(block)
        self.speaker_level = _rms(block[:, 0])

    async def speak(self, pcm: np.ndarray) -> None:
        self._queue.append(pcm)
        while self._queue:
            await asyncio.sleep(0.01)

    async def wait_for_speaker(self, loud: bool, seconds: float, timeout: float) -> bool:
        """Until the speaker channel has been loud (or quiet) for `seconds` in a row."""
        loop = asyncio.get_running_loop()
        deadline, since = loop.time() + timeout, None
        while loop.time() < deadline:
            await asyncio.sleep(0.02)
            if (self.speaker_level > LOUD) == loud:
                since = since if since is not None else loop.time()
                if loop.time() - since >= seconds:
                    return True
            elif loud or self.speaker_level > LOUD:
                since = None
        return False

    def audio(self) -> np.ndarray:
        return np.concatenate(self.recording) if self.recording else np.zeros((0, 2), dtype=np.int16)


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.astype(np.float32))))) if pcm.size else 0.0


def loud_mask(channel: np.ndarray) -> np.ndarray:
    n = len(channel) // WINDOW
    windows = channel[: n * WINDOW].astype(np.float32).reshape(n, WINDOW)
    return np.sqrt(np.mean(np.square(windows), axis=1)) > LOUD


def stop_times_ms(recording: np.ndarray, min_person_ms: int = 250) -> list[tuple[float, float | None]]:
    """Per time the person started speaking over a sounding reply: (onset seconds, ms until the
    speaker went quiet for STOP_QUIET; None if it never did before the person's next onset)."""
    speaker, person = loud_mask(recording[:, 0]), loud_mask(recording[:, 1])
    onsets = _onsets(person, min_person_ms)
    quiet_windows = int(STOP_QUIET * 1000 / 5)
    results = []
    for index, onset in enumerate(onsets):
        if not speaker[max(0, onset - 100) : onset].any():  # the reply was not sounding: not a barge-in
            continue
        limit = onsets[index + 1] if index + 1 < len(onsets) else len(speaker)
        stop = None
        last_loud = onset
        for w in range(onset, limit):
            if speaker[w]:
                last_loud = w
            elif w - last_loud >= quiet_windows:
                stop = (last_loud + 1 - onset) * 5.0
                break
        results.append((onset * WINDOW / RATE, stop))
    return results


def _onsets(mask: np.ndarray, min_ms: int) -> list[int]:
    """Window indices where a loud stretch of at least `min_ms` begins (gaps under 200 ms bridged)."""
    onsets, start, last = [], None, -10**9
    for w in np.nonzero(mask)[0]:
        if start is None or w - last > 40:
            if start is not None and (last - start) * 5 >= min_ms:
                onsets.append(start)
            start = w
        last = w
    if start is not None and (last - start) * 5 >= min_ms:
        onsets.append(start)
    return onsets
