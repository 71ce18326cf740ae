"""Which microphone and speaker a session uses: sound devices, or WAV files for QA and tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from therapy_desktop.audio.devices import Device, DeviceMicrophone, DeviceSpeaker
from therapy_desktop.audio.sinks import AudioSink, WavFileSpeaker
from therapy_desktop.audio.sources import AudioSource, WavFileSource


@dataclass(frozen=True)
class AudioEndpoints:
    mic_wav: Path | None = None
    speaker_wav: Path | None = None
    input_device: Device = None
    output_device: Device = None

    async def open_source(self) -> AudioSource:
        if self.mic_wav is not None:
            return await asyncio.to_thread(WavFileSource.load, self.mic_wav)
        return await _open_closing_if_abandoned(DeviceMicrophone, self.input_device)

    async def open_sink(self) -> AudioSink:
        if self.speaker_wav is not None:
            return WavFileSpeaker(self.speaker_wav)
        return await asyncio.to_thread(DeviceSpeaker, self.output_device)


async def _open_closing_if_abandoned(factory: Callable[[Device], AudioSource], device: Device) -> AudioSource:
    """Open a device on a worker thread. If the caller gives up meanwhile (hang-up while
    connecting), the thread still finishes opening: close what it opened, or it stays live."""
    opening = asyncio.get_running_loop().run_in_executor(None, factory, device)
    try:
        return await asyncio.shield(opening)
    except asyncio.CancelledError:
        opening.add_done_callback(_close_result)
        raise


def _close_result(opened: asyncio.Future[AudioSource]) -> None:
    if not opened.cancelled() and opened.exception() is None:
        opened.result().close()
