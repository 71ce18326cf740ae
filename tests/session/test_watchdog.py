"""One watchdog decides when a call is gone or due for renewal: tested with clocks the test moves."""

import asyncio

from therapy_desktop.session.watchdog import SLEEP_GAP, CallWatchdog


class Clocks:
    def __init__(self) -> None:
        self.mono, self.wall = 1000.0, 1_700_000_000.0

    def advance(self, seconds: float, *, asleep: bool = False) -> None:
        self.wall += seconds
        if not asleep:  # the monotonic clock stops while the machine sleeps
            self.mono += seconds


def _watchdog(clocks, drops, renewals, **kwargs):
    return CallWatchdog(on_drop=drops.append, on_renew_due=lambda: renewals.append(True), tick=0.01,
                        monotonic=lambda: clocks.mono, wall=lambda: clocks.wall, **kwargs)


async def _ticks(n: int = 3) -> None:
    await asyncio.sleep(0.01 * n + 0.02)


async def test_a_call_that_streams_is_left_alone():
    clocks, drops, renewals = Clocks(), [], []
    dog = _watchdog(clocks, drops, renewals, silence_limit=30)
    dog.watch(clocks.mono, lambda: clocks.mono, lambda: True)
    for _ in range(5):
        clocks.advance(5)
        await _ticks(1)
    dog.stop()
    assert drops == [] and renewals == []


async def test_no_events_and_no_audio_for_longer_than_the_limit_is_a_drop():
    clocks, drops, renewals = Clocks(), [], []
    dog = _watchdog(clocks, drops, renewals, silence_limit=30)
    last = clocks.mono
    dog.watch(clocks.mono, lambda: last, lambda: True)
    clocks.advance(31)
    await _ticks()
    assert drops == ["silent"]


async def test_waking_from_sleep_is_a_drop():
    clocks, drops, renewals = Clocks(), [], []
    dog = _watchdog(clocks, drops, renewals, silence_limit=30)
    dog.watch(clocks.mono, lambda: clocks.mono, lambda: True)
    await _ticks(1)
    clocks.advance(SLEEP_GAP + 60, asleep=True)
    await _ticks()
    assert drops == ["woke from sleep"]


async def test_renewal_waits_for_a_pause_after_the_renewal_time():
    clocks, drops, renewals = Clocks(), [], []
    quiet = [False]
    dog = _watchdog(clocks, drops, renewals, silence_limit=1e9, renew_after=3480)
    dog.watch(clocks.mono, lambda: clocks.mono, lambda: quiet[0])
    clocks.advance(3000)
    await _ticks()
    assert renewals == []
    clocks.advance(500)  # past the renewal time, but someone is speaking
    await _ticks()
    assert renewals == []
    quiet[0] = True
    await _ticks()
    assert renewals == [True] and drops == []
