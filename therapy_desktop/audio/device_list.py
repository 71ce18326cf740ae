"""Choosing sound devices by name (what the settings store keeps), and testing them.

PortAudio numbers devices afresh each time it starts, so a choice is remembered by name and
found again here; a name that is no longer connected falls back to the system default with a
sentence saying so. The tests are API functions for the Settings page: a tone for the output,
a short recording played back for the input.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

import numpy as np

from therapy_desktop.audio import texts
from therapy_desktop.audio.devices import Device, _open_error, _sounddevice
from therapy_desktop.audio.errors import AudioDeviceError

Kind = Literal["input", "output"]
_KIND_WORD = {"input": "microphone", "output": "speaker"}


@dataclass(frozen=True)
class DeviceChoice:
    name: str  # the value to remember
    kind: Kind
    is_default: bool
    sample_rate: int


def list_devices(kind: Kind, *, rescan: bool = False) -> list[DeviceChoice]:
    """The connected devices of one kind, the system default first. `rescan` makes PortAudio
    look again (a headset plugged in since it started); never while a stream is open."""
    sd = _sounddevice()
    if rescan:
        sd._terminate()
        sd._initialize()
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    try:
        default = sd.query_devices(kind=kind)["name"]
    except (sd.PortAudioError, ValueError):
        default = None
    seen: set[str] = set()
    choices = []
    for info in sd.query_devices():
        name = str(info["name"])
        if info[channels] > 0 and name not in seen:
            seen.add(name)
            choices.append(DeviceChoice(name, kind, name == default, int(info["default_samplerate"])))
    return sorted(choices, key=lambda c: not c.is_default)


def resolve_device(name: str | None, kind: Kind) -> tuple[Device, str | None]:
    """A remembered name → the device to open (None: the system default) and a notice for the
    person when the name is not connected any more."""
    if not name:
        return None, None
    if any(choice.name == name for choice in list_devices(kind)):
        return name, None
    return None, texts.DEVICE_NOT_FOUND.format(kind=_KIND_WORD[kind], name=name)


def tone(seconds: float = 1.0, rate: int = 48_000, hz: float = 440.0) -> np.ndarray:
    """A soft tone with 20 ms fades (no clicks): -12 dBFS."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.25 * np.sin(2 * np.pi * hz * t)
    fade = min(len(t) // 2, int(0.02 * rate))
    ramp = np.linspace(0.0, 1.0, fade)
    tone[:fade] *= ramp
    tone[len(t) - fade :] *= ramp[::-1]
    return (tone * 32767).astype(np.int16)


async def play_test_tone(output: str | None = None, seconds: float = 1.0) -> None:
    """Play a tone on the chosen speaker. Raises `AudioDeviceError` with a sentence."""
    sd = _sounddevice()
    device, _ = resolve_device(output, "output")
    try:
        rate = int(sd.query_devices(device, "output")["default_samplerate"])
        await asyncio.to_thread(sd.play, tone(seconds, rate), rate, device=device, blocking=True)
    except (sd.PortAudioError, ValueError) as exc:
        raise _open_error("speaker", device, exc) from None


async def record_and_play_back(input: str | None = None, output: str | None = None,
                               seconds: float = 3.0) -> np.ndarray:
    """Record `seconds` from the chosen microphone, then play them on the chosen speaker; returns
    the recording (mono int16 at the microphone's rate) for a level check."""
    sd = _sounddevice()
    mic, _ = resolve_device(input, "input")
    speaker, _ = resolve_device(output, "output")
    try:
        rate = int(sd.query_devices(mic, "input")["default_samplerate"])
        recording = await asyncio.to_thread(sd.rec, int(seconds * rate), rate, 1, "int16", device=mic, blocking=True)
    except (sd.PortAudioError, ValueError) as exc:
        raise _open_error("microphone", mic, exc) from None
    pcm = np.asarray(recording)[:, 0].copy()
    if not pcm.any():
        raise AudioDeviceError(texts.SILENT_RECORDING)
    try:
        out_rate = int(sd.query_devices(speaker, "output")["default_samplerate"])
        played = pcm if out_rate == rate else _resample(pcm, rate, out_rate)
        await asyncio.to_thread(sd.play, played, out_rate, device=speaker, blocking=True)
    except (sd.PortAudioError, ValueError) as exc:
        raise _open_error("speaker", speaker, exc) from None
    return pcm


def _resample(pcm: np.ndarray, rate: int, target: int) -> np.ndarray:
    from therapy_desktop.audio.pcm import MonoResampler

    return MonoResampler(target).convert_pcm(pcm, rate)
