"""A device unplugged mid-session (its PulseAudio sink and source unloaded in the private server
of the test) falls back to the system default with a notice, and the session goes on."""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest

from benchmarks.audio_rig import _pactl
from benchmarks.echo_room import MIC_SINK, RoomHarness, echo_room
from therapy_desktop.audio.device_list import list_devices, resolve_device
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType

pytestmark = [pytest.mark.devices, pytest.mark.slow]


@pytest.fixture
def room():
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        if os.environ.get("THERAPY_DESKTOP_REQUIRE_DEVICES") == "1":
            pytest.fail("device test required but PulseAudio is not installed")
        pytest.skip("PulseAudio is not installed")
    with echo_room() as modules:
        RoomHarness().__enter__().__exit__()  # PortAudio lists the room's devices afresh
        yield modules


def test_devices_are_listed_by_name_and_a_missing_name_falls_back(room):
    outputs = [d.name for d in list_devices("output")]
    inputs = [d.name for d in list_devices("input")]
    assert outputs and inputs and list_devices("output")[0].is_default
    assert resolve_device(outputs[0], "output") == (outputs[0], None)
    device, notice = resolve_device("USB Headset that is not here", "input")
    assert device is None and "USB Headset that is not here" in notice


async def test_unplugged_speaker_and_microphone_fall_back_to_the_default(room, engine, demo_provider):
    session = TherapySession(TherapyType.ANXIETY, demo_provider, AudioEndpoints())
    # Half-duplex: the room sends the speaker back into the microphone, and in a barge-in mode without
    # echo cancellation the AI companion hears itself and pauses its own reply (a test of something else).
    session.barge_in.set_mode(AudioMode.HALF_DUPLEX)
    notices: list[str] = []
    session.audio.notice_did_occur.connect(notices.append)
    await session.start()
    try:
        assert session.state.is_in_call
        _pactl("set-default-sink", MIC_SINK)  # where "the system default" goes once the speaker is gone
        _pactl("unload-module", room["speaker"])
        _pactl("unload-module", room["mic"])
        _pactl("set-default-source", f"{MIC_SINK}.monitor")
        await asyncio.sleep(1.0)
        # PulseAudio ≥ 14 moves the streams of a vanished device to the default itself; other
        # hosts end the PortAudio stream. Either way the call must go on.
        assert session.state.is_in_call
        mic, speaker = session.audio.source.inner, session.audio.player.sink
        await asyncio.to_thread(mic._stream.abort)  # a stream PortAudio ended under us
        await asyncio.to_thread(speaker._stream.abort)
        for _ in range(100):
            if len(notices) >= 2:
                break
            await asyncio.sleep(0.1)
        assert any("speaker" in n for n in notices) and any("microphone" in n for n in notices), notices
        assert session.audio.source.inner is not mic and session.audio.player.sink is not speaker
        assert session.state.is_in_call
        session.send_text("Hello, are you still there?")  # the call goes on over the new devices
        for _ in range(100):
            if session.audio.player.buffer.played_samples and session.transcript.visible_items()[-1:] and \
                    session.transcript.visible_items()[-1].role == "assistant":
                break
            await asyncio.sleep(0.1)
        assert session.transcript.visible_items()[-1].role == "assistant"
    finally:
        await session.end()
