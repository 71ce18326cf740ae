"""Therapy Desktop with measurement probes, as the benchmark runs it. Not part of the app.

    python -m benchmarks.desktop_client METRICS.json [--autostart] -- <therapy-desktop arguments>

The probes wrap a few methods (ours and aiortc's) to timestamp audio on its way through, watch
the event loop's lag, and record the session's connect report and states. They add a few
microseconds per frame. On exit everything goes to METRICS.json; when the session is connected
a line `BENCH connected` goes to stdout so the runner knows when to start talking.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import functools
import gc
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

LAG_PERIOD = 0.01
# A soak keeps its probes bounded: the loop lag as a 0.1 ms histogram, no per-frame series, so
# the client's memory growth over an hour is the app's and not the probes' (a sample list grows
# ~1 MB a minute).
SOAK = os.environ.get("BENCH_PROBES") == "soak"
LAG_BINS = 20_000  # 0.1 ms each, up to 2 s; longer lags go in the last bin


class _Dropped(list):
    def append(self, _value: Any) -> None:
        pass


class Probes:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {
            "launched_at": float(time.time()),
            "states": [],
            "connect": [],
            "loop_lag_ms": [],  # [monotonic, lag ms]
            **{key: _Dropped() if SOAK else [] for key in ("mic_read_delay_ms", "encode_ms", "rtp_to_frame_ms", "buffer_ms")},
            "gc_pauses": [],  # [monotonic, generation, ms] for collections over 5 ms
            "stalls": [],  # [monotonic, ms] for loop lags over 50 ms (the first 500)
            "underflow_times": [],  # [monotonic, count] when the speaker's counters showed new ones
        }
        self._arrivals: dict[int, float] = {}
        self._origin: int | None = None
        self._pushes: collections.deque[tuple[int, float]] = collections.deque()
        self._lag_task: asyncio.Task[None] | None = None
        self._lag_histogram = [0] * (LAG_BINS + 1) if SOAK else None

    # -- installation --------------------------------------------------------------------------

    def watch_gc(self) -> None:
        started: dict[str, float] = {}

        def callback(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                started["at"] = time.perf_counter()
            elif "at" in started:
                ms = (time.perf_counter() - started.pop("at")) * 1000
                if ms > 5:
                    self.data["gc_pauses"].append([time.monotonic(), info["generation"], ms])

        gc.callbacks.append(callback)

    def install(self) -> None:
        from aiortc.rtcrtpreceiver import RemoteStreamTrack, RTCRtpReceiver

        from therapy_desktop.audio import devices
        from therapy_desktop.audio.jitter_buffer import JitterBuffer
        from therapy_desktop.audio.mic_track import MicrophoneTrack
        from therapy_desktop.audio.opus_encoder import OpusFrameEncoder
        from therapy_desktop.session.therapy_session import TherapySession

        probes = self
        original_init, original_start = TherapySession.__init__, TherapySession.start

        @functools.wraps(original_init)
        def init(session: TherapySession, *args: Any, **kwargs: Any) -> None:
            original_init(session, *args, **kwargs)
            session.events.state_did_change.connect(lambda state: probes.data["states"].append([time.monotonic(), str(state)]))
            session.events.call_did_renew.connect(
                lambda renewal: probes.data.__setitem__("renewals", probes.data.get("renewals", 0) + 1))

        @functools.wraps(original_start)
        async def start(session: TherapySession) -> None:
            probes._start_lag_monitor()
            probes.data["start_clicked"] = time.monotonic()
            await original_start(session)
            report = asdict(session.calls.calls[0].report)
            probes.data["connect"].append(report)
            print("BENCH connected " + json.dumps(report), flush=True)

        TherapySession.__init__ = init  # type: ignore[method-assign]
        TherapySession.start = start  # type: ignore[method-assign]

        original_recv = MicrophoneTrack.recv

        async def mic_recv(track: MicrophoneTrack) -> Any:
            frame = await original_recv(track)
            source = getattr(track.source, "inner", track.source)  # the echo canceller wraps the device
            if isinstance(source, devices.DeviceMicrophone):
                probes.data["mic_read_delay_ms"].append(source.read_delay * 1000)
                probes.data["input_latency_ms"] = source.input_latency * 1000
                probes.data["mic_overflows"] = source.overflows
                probes.data["mic_covered_frames"] = track._pacer.covered  # sent short: the device was late
            return frame

        MicrophoneTrack.recv = mic_recv  # type: ignore[method-assign]

        original_encode = OpusFrameEncoder.encode  # the microphone's, inline on the loop

        def encode(encoder: OpusFrameEncoder, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_encode(encoder, *args, **kwargs)
            finally:
                probes.data["encode_ms"].append((time.perf_counter() - started) * 1000)

        OpusFrameEncoder.encode = encode  # type: ignore[method-assign]

        original_handle = RTCRtpReceiver._handle_rtp_packet

        async def handle_rtp(receiver: RTCRtpReceiver, packet: Any, arrival_time_ms: int) -> None:
            if probes._origin is None:
                probes._origin = packet.timestamp
            probes._arrivals[(packet.timestamp - probes._origin) % 2**32] = time.monotonic()
            if len(probes._arrivals) > 2000:
                for key in list(probes._arrivals)[:1000]:
                    del probes._arrivals[key]
            await original_handle(receiver, packet, arrival_time_ms)

        RTCRtpReceiver._handle_rtp_packet = handle_rtp  # type: ignore[method-assign]

        original_remote_recv = RemoteStreamTrack.recv

        async def remote_recv(track: RemoteStreamTrack) -> Any:
            frame = await original_remote_recv(track)
            arrived = probes._arrivals.get(frame.pts) if track.kind == "audio" else None
            if arrived is not None:
                probes.data["rtp_to_frame_ms"].append((time.monotonic() - arrived) * 1000)
            return frame

        RemoteStreamTrack.recv = remote_recv  # type: ignore[method-assign]

        original_push, original_drain = JitterBuffer.push, JitterBuffer.drain

        def push(buffer: JitterBuffer, pcm: Any) -> None:
            probes._pushes.append((buffer._pushed + len(pcm), time.monotonic()))
            original_push(buffer, pcm)

        def drain(buffer: JitterBuffer, limit: int, ahead: float, *rest: Any) -> Any:
            # The speaker drains into its ring: the wait is the time in the jitter buffer plus what
            # the ring still held before it (`ahead` less the device's own latency).
            before = buffer._consumed
            out = original_drain(buffer, limit, ahead, *rest)
            if buffer._consumed > before:
                while probes._pushes and probes._pushes[0][0] <= before:
                    probes._pushes.popleft()
                if probes._pushes:
                    speaker = getattr(probes, "speaker", None)
                    ring = ahead - speaker.device_latency if speaker is not None else 0.0
                    probes.data["buffer_ms"].append((time.monotonic() - probes._pushes[0][1] + ring) * 1000)
            return out

        JitterBuffer.push = push  # type: ignore[method-assign]
        JitterBuffer.drain = drain  # type: ignore[method-assign]

        original_open = devices.DeviceSpeaker._open

        def speaker_open(speaker: Any, buffer: Any) -> None:
            original_open(speaker, buffer)
            probes.data["output_latency_ms"] = speaker.device_latency * 1000
            probes.speaker = speaker

        devices.DeviceSpeaker._open = speaker_open  # type: ignore[method-assign]
        original_stats = devices.DeviceSpeaker._fetch_stats

        def fetch_stats(speaker: Any) -> None:
            before = speaker.underflows
            original_stats(speaker)
            if speaker.underflows > before and len(probes.data["underflow_times"]) < 500:
                probes.data["underflow_times"].append([time.monotonic(), speaker.underflows - before])

        devices.DeviceSpeaker._fetch_stats = fetch_stats  # type: ignore[method-assign]

    def install_window_probes(self, autostart: bool) -> None:
        from PySide6.QtCore import QTimer

        from therapy_desktop.ui.main_window import MainWindow

        probes = self
        original_show = MainWindow.showEvent

        def show_event(window: MainWindow, event: Any) -> None:
            original_show(window, event)
            if "window_shown_at" not in probes.data:
                probes.data["window_shown_at"] = time.time()
                probes.install()  # only now: its imports (aiortc…) must not count as the app's start-up
                probes._start_lag_monitor()
                if autostart:
                    QTimer.singleShot(500, window.start_button.click)

        MainWindow.showEvent = show_event  # type: ignore[method-assign]
        # The runner's SIGTERM ends the session as a logout would (ui.main), so the metrics are written.

    # -- loop lag ------------------------------------------------------------------------------

    def _start_lag_monitor(self) -> None:
        if self._lag_task is None:
            self._lag_task = asyncio.get_event_loop().create_task(self._watch_lag())

    async def _watch_lag(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(LAG_PERIOD)
            lag = max(0.0, (loop.time() - before - LAG_PERIOD) * 1000)
            if lag > 50 and len(self.data["stalls"]) < 500:
                self.data["stalls"].append([time.monotonic(), lag])
            if self._lag_histogram is not None:
                self._lag_histogram[min(int(lag * 10), LAG_BINS)] += 1
            else:
                self.data["loop_lag_ms"].append([time.monotonic(), lag])

    def write(self, path: Path) -> None:
        self.data["exited_at"] = time.time()
        speaker = getattr(self, "speaker", None)
        if speaker is not None:
            self.data["speaker_underflows"] = speaker.underflows
            self.data["speaker_gaps"] = speaker.gaps
        if self._lag_histogram is not None:
            self.data["loop_lag_histogram_0p1ms"] = {str(b): n for b, n in enumerate(self._lag_histogram) if n}
        path.write_text(json.dumps(self.data))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    split = args.index("--") if "--" in args else len(args)
    own, app_args = args[:split], args[split + 1 :]
    metrics = Path(own[0])
    probes = Probes()
    probes.watch_gc()
    if "--headless" in app_args:
        probes.install()
    else:
        probes.install_window_probes(autostart="--autostart" in own)
    atexit.register(probes.write, metrics)
    from therapy_desktop.app import main as app_main

    return app_main(app_args)


if __name__ == "__main__":
    raise SystemExit(main())
