"""Which microphone and speaker a session uses: sound devices, or WAV files for QA and tests."""

from __future__ import annotations

import asyncio
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

    @property
    def needs_echo_gate(self) -> bool:
        """Only a real microphone can hear a real speaker."""
        return self.mic_wav is None

    async def open_source(self) -> AudioSource:
        if self.mic_wav is not None:
            return await asyncio.to_thread(WavFileSource.load, self.mic_wav)
        return await asyncio.to_thread(DeviceMicrophone, self.input_device)

    async def open_sink(self) -> AudioSink:
        if self.speaker_wav is not None:
            return WavFileSpeaker(self.speaker_wav)
        return await asyncio.to_thread(DeviceSpeaker, self.output_device)
