"""SIGTERM and SIGINT call the stop callback while the block runs, and only then."""

from __future__ import annotations

import asyncio
import os
import signal

from therapy_desktop.session.stop_signals import on_stop_signals


async def test_a_signal_inside_the_block_calls_stop_and_the_handler_goes_with_the_block():
    loop = asyncio.get_running_loop()
    stops: list[str] = []
    with on_stop_signals(lambda: stops.append("stop")):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            if stops:
                break
            await asyncio.sleep(0.01)
        assert stops == ["stop"]
    assert not loop.remove_signal_handler(signal.SIGTERM)  # nothing of ours left installed
    assert not loop.remove_signal_handler(signal.SIGINT)
