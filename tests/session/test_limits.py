"""Session length and daily limits, with clocks the test moves instead of waiting."""

import asyncio
from datetime import datetime

import numpy as np
import pytest

from tests.fakes import FakeConnection, FakeKeyProvider
from tests.waiting import wait_until
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.session.limits import SessionLimits, SessionTimer, daily_limit_problem
from therapy_desktop.session.state import EndReason
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType
from therapy_desktop.therapy import session_notes as notes


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_timer_warns_once_then_asks_for_a_close_then_ends_at_a_quiet_moment():
    clock, quiet, seen = Clock(), [True], []
    timer = SessionTimer(SessionLimits(max_minutes=30, warn_minutes_before=5, wrap_up_grace_seconds=90),
                         is_quiet=lambda: quiet[0], on_nearly_up=lambda m: seen.append(("warn", round(m))),
                         on_time_up=lambda: seen.append(("close",)), on_overrun=lambda: seen.append(("end",)),
                         clock=clock, tick=0.01)
    timer.start()
    clock.now = 24 * 60
    await asyncio.sleep(0.05)
    assert seen == []
    clock.now = 25 * 60 + 1
    quiet[0] = False  # the person is speaking: the notice waits
    await asyncio.sleep(0.05)
    assert seen == []
    quiet[0] = True
    await asyncio.sleep(0.05)
    assert seen == [("warn", 5)]
    clock.now = 30 * 60
    await asyncio.sleep(0.05)
    assert seen == [("warn", 5), ("close",)]
    clock.now = 30 * 60 + 91
    await asyncio.sleep(0.05)
    assert seen[-1] == ("end",)
    timer.stop()


async def test_a_session_tells_the_model_at_the_warning_and_the_limit_and_ends_itself(tmp_path):
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    clock = Clock()
    session = TherapySession(TherapyType.GENERAL, FakeKeyProvider(), AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "o.wav"),
                             connection_factory=FakeConnection, clock=clock,
                             limits=SessionLimits(max_minutes=10, warn_minutes_before=2, wrap_up_grace_seconds=30))
    session.timer._ticker.every = 0.01  # noqa: SLF001 - the test's clock moves in big steps
    warnings = []
    session.events.limit_did_approach.connect(warnings.append)
    await session.start()
    server = FakeConnection.last
    clock.now = 8 * 60 + 1
    await wait_until(lambda: warnings, 2, "the warning")
    texts = [e["item"]["content"][0]["text"] for e in server.sent if e["type"] == "conversation.item.create"]
    assert texts[-1] == notes.TIME_NEARLY_UP.format(minutes=2)
    clock.now = 10 * 60
    await wait_until(lambda: any(e["type"] == "conversation.item.create" and e["item"]["content"][0]["text"] == notes.TIME_UP
                                 for e in server.sent), 2, "the close asked for")
    clock.now = 10 * 60 + 31
    outcome = await asyncio.wait_for(session.wait_ended(), 5)
    assert outcome.reason is EndReason.LIMIT


@pytest.mark.parametrize("started_today, refused", [(49, False), (50, True), (51, True)])
def test_the_daily_limit_refuses_start_with_when_it_resets(started_today, refused):
    problem = daily_limit_problem(started_today, SessionLimits(daily_sessions=50), datetime(2026, 12, 1, 21, 30))
    assert (problem is not None) is refused
    if refused:
        assert "50 sessions today" in problem and "00:00 on Wednesday" in problem
