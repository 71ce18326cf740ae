"""What the window costs during a session: the main window built offscreen (or on Xvfb), fed what
a live session feeds it — a microphone level every 20 ms, transcript deltas at speech rate,
state changes, the mic paused while the AI companion speaks — and counted.

    python -m benchmarks.window_probe                      # 2 × 60 s per scenario, all four scenarios
    python -m benchmarks.window_probe --seconds 30 --scenario shown --scenario minimised
    QT_QPA_PLATFORM=xcb xvfb-run -a python -m benchmarks.window_probe   # a real X server's painting

Each scenario runs twice: once counting events with an application-wide filter, once without it
for the CPU (the filter costs CPU of its own).

Scenarios: `headless` (the same feed into a controller with no window: the baseline), `shown`,
`minimised`, `hidden`. For each it prints paint events per widget per minute, timer wake-ups per
minute (every QTimerEvent, by receiver, the feed's own timer excluded), and the UI thread's CPU
seconds per minute (time.thread_time: the feed and the counting run on it too, so compare with
`headless`), and the whole process's. The last line is JSON with every number.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_scratch = Path(tempfile.mkdtemp(prefix="window-probe-"))
for _kind in ("DATA", "CONFIG", "LOG"):  # never the developer's own folders
    os.environ.setdefault(f"THERAPY_DESKTOP_{_kind}_DIR", str(_scratch / _kind.lower()))

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from therapy_desktop.session.limits import SessionLimits  # noqa: E402
from therapy_desktop.session.state import SessionState  # noqa: E402
from therapy_desktop.session.transcript import ASSISTANT, USER, Transcript  # noqa: E402

SCENARIOS = ("headless", "shown", "minimised", "hidden")
LEVEL_MS = 20  # the microphone track reports a level per 20 ms frame
TURN_SECONDS = 12.0  # the person speaks 4 s, a pause, the AI companion speaks 6 s, quiet
WORDS = ("That", " sounds", " like", " a", " lot", " to", " carry,", " and", " it", " makes", " sense",
         " that", " you", " feel", " tired.", " What", " would", " help", " most", " right", " now?")


class _Clock:
    """The session timer the window reads (elapsed seconds, the limit)."""

    def __init__(self) -> None:
        self.started_at = time.monotonic()
        self.limits = SessionLimits()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started_at


class _BargeIn:
    """The listening mode the mic controls set on a session: nothing to hear in the probe."""

    def set_mode(self, mode: object) -> None:
        self.mode = mode

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def push_to_talk(self, pressed: bool) -> None:
        self.pressed = pressed


@dataclass
class FedSession:
    """What the window reads off the controller's session: its transcript, timer, state, mic modes."""

    transcript: Transcript = field(default_factory=Transcript)
    timer: _Clock = field(default_factory=_Clock)
    barge_in: _BargeIn = field(default_factory=_BargeIn)
    state: SessionState = SessionState.IDLE


class Counting(QObject):
    """Counts paint events per widget and timer events per receiver, for the whole application."""

    def __init__(self, skip: QObject) -> None:
        super().__init__()
        self.paints: Counter[str] = Counter()
        self.timers: Counter[str] = Counter()
        self._skip = skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.Paint:
            self.paints[_name(watched)] += 1
        elif kind == QEvent.Type.Timer and watched is not self._skip:
            parent = watched.parent()
            self.timers[f"{_name(watched)} in {_name(parent) if parent is not None else '-'}"] += 1
        return False


def _name(obj: QObject) -> str:
    name = obj.objectName()
    return f"{type(obj).__name__}#{name}" if name else type(obj).__name__


def speech_level(t: float, rng: random.Random) -> float:
    """Like rms_level of a laptop microphone: room noise around 0.15, syllables up to ~0.75."""
    noise = 0.15 + rng.uniform(-0.03, 0.03)
    phase = t % TURN_SECONDS
    if phase < 4.0:  # the person speaks, about four syllables a second
        return min(1.0, noise + 0.55 * abs(math.sin(math.pi * 4.0 * t)) * rng.uniform(0.7, 1.0))
    return noise


def schedule(controller: object, session: FedSession, seconds: float) -> list[tuple[float, Callable[[], None]]]:
    """The session's events over `seconds`: per turn, the person's speech, its transcription,
    the AI companion's reply word by word (one delta per word, ~3.3 words a second)."""
    events: list[tuple[float, Callable[[], None]]] = []
    transcript = session.transcript

    def state(value: SessionState) -> Callable[[], None]:
        def go() -> None:
            session.state = value
            controller.state_changed.emit(value)  # type: ignore[attr-defined]
        return go

    previous: str | None = "first"
    turn = 0
    while turn * TURN_SECONDS < seconds:
        base = turn * TURN_SECONDS
        user, reply = f"u{turn}", f"a{turn}"
        events.append((base + 0.1, state(SessionState.USER_SPEAKING)))
        events.append((base + 4.0, state(SessionState.THINKING)))
        events.append((base + 4.0, lambda u=user, p=previous: transcript.note_item(
            u, role=USER, previous_item_id=p, position_known=True)))
        events.append((base + 4.6, lambda r=reply, u=user: transcript.note_item(
            r, role=ASSISTANT, previous_item_id=u, position_known=True)))
        events.append((base + 4.6, state(SessionState.THERAPIST_SPEAKING)))
        events.append((base + 4.6, lambda: controller.mic_paused_changed.emit(True)))  # type: ignore[attr-defined]
        events.append((base + 4.9, lambda u=user: transcript.set_text(u, "I have been so tired at work lately.")))
        for i, word in enumerate(WORDS):
            events.append((base + 4.7 + i * 0.3, lambda r=reply, w=word: transcript.append_text(r, w)))
        events.append((base + 10.8, lambda r=reply: transcript.set_text(r, "".join(WORDS))))
        events.append((base + 10.8, state(SessionState.LISTENING)))
        events.append((base + 10.8, lambda: controller.mic_paused_changed.emit(False)))  # type: ignore[attr-defined]
        previous = reply
        turn += 1
    return sorted(((t, e) for t, e in events if t < seconds), key=lambda pair: pair[0])


def run(app: QApplication, scenario: str, seconds: float, seed: int, *, count: bool) -> dict[str, object]:
    """One scenario fed for `seconds`. With `count`, an application-wide event filter counts
    paints and timers; it costs CPU itself (PySide wraps every event), so CPU is measured in a
    pass without it."""
    from therapy_desktop.realtime.connect_mode import ConnectMode
    from therapy_desktop.therapy import TherapyType
    from therapy_desktop.ui.session_controller import SessionController

    async def never(request: object) -> object:
        raise RuntimeError("the probe feeds the window itself")

    controller = SessionController(never)
    session = FedSession()
    controller.session = session  # type: ignore[assignment]
    session.transcript.item_did_change.connect(controller.transcript_item_changed.emit)
    window: QWidget | None = None
    if scenario != "headless":
        from therapy_desktop.ui.main_window import MainWindow

        window = MainWindow(controller, mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL)
        window.resize(900, 760)
        window.show()
    controller.transcript_reset.emit()
    session.state = SessionState.CONNECTING
    controller.state_changed.emit(SessionState.CONNECTING)
    session.state = SessionState.LISTENING
    controller.state_changed.emit(SessionState.LISTENING)
    # A greeting and an answer before measuring: the first bubbles pay Qt's and PySide's one-off
    # set-up (text documents, enum types), which a session pays once, not per minute.
    session.transcript.note_item("greeting", role=ASSISTANT)
    session.transcript.set_text("greeting", "Hello, I am an AI companion. What is on your mind?")
    session.transcript.note_item("first", role=USER, previous_item_id="greeting", position_known=True)
    session.transcript.append_text("first", "Work")
    session.transcript.set_text("first", "Work, mostly.")
    _settle(app, 0.5)
    if window is not None and scenario == "minimised":
        window.showMinimized()
    elif window is not None and scenario == "hidden":
        window.hide()
    _settle(app, 0.3)

    rng = random.Random(seed)
    pending = schedule(controller, session, seconds)
    feed = QTimer()
    feed.setTimerType(Qt.TimerType.PreciseTimer)
    feed.setInterval(LEVEL_MS)
    counting = Counting(skip=feed)
    clock = QElapsedTimer()
    levels = 0

    def tick() -> None:
        nonlocal levels
        t = clock.elapsed() / 1000.0
        if t >= seconds:
            feed.stop()
            app.exit(0)  # not quit(): that asks the windows to close first
            return
        while pending and pending[0][0] <= t:
            pending.pop(0)[1]()
        controller.mic_level_changed.emit(speech_level(t, rng))
        levels += 1

    feed.timeout.connect(tick)
    if count:
        app.installEventFilter(counting)
    cpu0, process0, wall0 = time.thread_time(), time.process_time(), time.monotonic()
    clock.start()
    feed.start()
    app.exec()
    cpu, wall = time.thread_time() - cpu0, time.monotonic() - wall0
    process = time.process_time() - process0
    app.removeEventFilter(counting)
    per_minute = 60.0 / wall
    result: dict[str, object] = {
        "scenario": scenario,
        "counted": count,
        "seconds": round(wall, 1),
        "levels_fed_per_min": round(levels * per_minute),
        "ui_cpu_s_per_min": round(cpu * per_minute, 3),
        "process_cpu_s_per_min": round(process * per_minute, 3),
        "paints_per_min": {k: round(v * per_minute) for k, v in counting.paints.most_common()},
        "paints_total_per_min": round(sum(counting.paints.values()) * per_minute),
        "timer_wakeups_per_min": {k: round(v * per_minute) for k, v in counting.timers.most_common()},
        "timer_wakeups_total_per_min": round(sum(counting.timers.values()) * per_minute),
    }
    if window is not None:
        result["active_timers_at_end"] = sorted(
            _name(t.parent()) for t in window.findChildren(QTimer) if t.isActive() and t.parent() is not None)
        window.showNormal()
        _settle(app, 0.3)
        window.close()
        window.deleteLater()
    _settle(app, 0.2)
    return result


def _settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _print(result: dict[str, object]) -> None:
    print(f"== {result['scenario']}: {result['seconds']} s, {result['levels_fed_per_min']} levels/min fed")
    print(f"   UI thread CPU: {result['ui_cpu_s_per_min']} s/min (whole process {result['process_cpu_s_per_min']})")
    print(f"   paint events: {result['paints_total_per_min']}/min")
    for name, count in list(result["paints_per_min"].items())[:12]:  # type: ignore[union-attr]
        print(f"      {count:6d}  {name}")
    print(f"   timer wake-ups: {result['timer_wakeups_total_per_min']}/min")
    for name, count in list(result["timer_wakeups_per_min"].items())[:8]:  # type: ignore[union-attr]
        print(f"      {count:6d}  {name}")
    if "active_timers_at_end" in result:
        print(f"   timers still running at the end: {result['active_timers_at_end']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.window_probe", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds fed per scenario")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS, help="repeatable; default: all four")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the hidden scenario hides the only window
    results = []
    for scenario in args.scenario or SCENARIOS:
        counted = run(app, scenario, args.seconds, args.seed, count=True)
        result = run(app, scenario, args.seconds, args.seed, count=False)
        # Events from the counted pass, CPU from the pass without the counting filter.
        result = {**counted, **{k: v for k, v in result.items() if k.endswith("cpu_s_per_min")},
                  "seconds": result["seconds"], "counted": False,
                  "ui_cpu_s_per_min_while_counting": counted["ui_cpu_s_per_min"]}
        _print(result)
        results.append(result)
    base = next((r for r in results if r["scenario"] == "headless"), None)
    if base is not None:
        for r in results:
            if r is not base:
                added = float(r["ui_cpu_s_per_min"]) - float(base["ui_cpu_s_per_min"])  # type: ignore[arg-type]
                print(f"   the window ({r['scenario']}) adds {added:.3f} s/min of UI-thread CPU over headless")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
