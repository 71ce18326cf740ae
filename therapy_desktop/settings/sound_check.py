"""What the Audio page of Settings offers and does, without Qt: the device lists (a remembered
device that is not connected stays listed, marked so), the speaker and microphone tests, and
playing a voice sample on the chosen speaker.

PortAudio calls block (opening a stream on PulseAudio takes a few hundred ms; a test plays for
seconds), so every function here is a coroutine that runs them on a worker thread. Failures are
`SoundCheckFailed`: `str()` is the sentence for the person, `detail` PortAudio's own words.
The audio modules (numpy, PyAV, PortAudio) load on first use, not when the window opens.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from therapy_desktop.audio import texts as audio_texts
from therapy_desktop.audio.errors import AudioDeviceError
from therapy_desktop.realtime.voice_preview import VoiceSample
from therapy_desktop.settings import messages

if TYPE_CHECKING:
    import numpy as np

    from therapy_desktop.audio.device_list import Kind

MIC_TEST_SECONDS = 3.0
QUIET_PEAK_DB = -40.0  # a recording peaking below this is hard for the service to hear
# PortAudio's ALSA host lists the system default as a device called "default": "System default" says it.
_DEFAULT_ALIASES = frozenset({"default"})


class SoundCheckFailed(Exception):
    def __init__(self, sentence: str, detail: str = "") -> None:
        super().__init__(sentence)
        self.detail = detail


@dataclass(frozen=True)
class DeviceOption:
    name: str  # what the settings keep; "" is the system default
    label: str  # what the list shows
    connected: bool = True


async def device_options(kind: Kind, saved: str, *, rescan: bool = False) -> list[DeviceOption]:
    """System default first (named after the device it is now), then every connected device, then
    the saved one if it is not connected. Rescanning must not happen while a stream is open."""
    device_list = _device_list()
    try:
        found = await asyncio.to_thread(device_list.list_devices, kind, rescan=rescan)
    except AudioDeviceError as exc:  # no PortAudio library at all
        raise SoundCheckFailed(str(exc)) from None
    default = next((d.name for d in found if d.is_default), None)
    named = default and default not in _DEFAULT_ALIASES
    options = [DeviceOption("", messages.SYSTEM_DEFAULT_NAMED.format(name=default) if named else messages.SYSTEM_DEFAULT)]
    options += [DeviceOption(d.name, d.name) for d in found if d.name not in _DEFAULT_ALIASES]
    if saved and saved not in {d.name for d in found}:
        options.append(DeviceOption(saved, messages.NOT_CONNECTED.format(name=saved), connected=False))
    return options


async def play_test_sound(output: str) -> str:
    """A one-second tone on the chosen speaker (the default when it is not connected)."""
    speaker, fallback = await _chosen("output", output)
    try:
        await _device_list().play_test_tone(speaker)
    except AudioDeviceError as exc:
        raise SoundCheckFailed(messages.SPEAKER_FAILED, str(exc)) from None
    return _with(fallback, messages.TONE_PLAYED.format(name=speaker or messages.THE_DEFAULT_SPEAKER))


async def test_microphone(input_device: str, output: str, seconds: float = MIC_TEST_SECONDS) -> str:
    """Record `seconds` from the chosen microphone and play them back on the chosen speaker."""
    mic, mic_fallback = await _chosen("input", input_device)
    speaker, speaker_fallback = await _chosen("output", output)
    try:
        pcm = await _device_list().record_and_play_back(mic, speaker, seconds)
    except AudioDeviceError as exc:
        text = str(exc)
        if text == audio_texts.SILENT_RECORDING:  # already a sentence a person can act on
            raise SoundCheckFailed(text) from None
        raise SoundCheckFailed(messages.MIC_FAILED if "microphone" in text else messages.SPEAKER_FAILED, text) from None
    peak = peak_db(pcm)
    sentence = messages.MIC_QUIET if peak < QUIET_PEAK_DB else messages.MIC_OK
    return _with(mic_fallback or speaker_fallback, sentence.format(seconds=round(seconds), peak=round(peak)))


async def play_sample(sample: VoiceSample, output: str) -> str | None:
    """Play a voice sample on the chosen speaker, resampled to the device's own rate. Returns the
    sentence saying it played on the default instead, when the chosen one is not connected."""
    import numpy as np

    from therapy_desktop.audio.devices import _sounddevice
    from therapy_desktop.audio.pcm import MonoResampler

    speaker, fallback = await _chosen("output", output)
    sd = _sounddevice()
    pcm = np.frombuffer(sample.pcm, dtype="<i2").astype(np.int16)

    def play() -> None:
        rate = int(sd.query_devices(speaker, "output")["default_samplerate"])
        played = pcm if rate == sample.rate else MonoResampler(rate).convert_pcm(pcm, sample.rate)
        sd.play(played, rate, device=speaker, blocking=True)

    try:
        await asyncio.to_thread(play)
    except (sd.PortAudioError, ValueError) as exc:
        raise SoundCheckFailed(messages.SPEAKER_FAILED, str(exc)) from None
    return fallback


def peak_db(pcm: np.ndarray) -> float:
    peak = int(abs(pcm.astype("int32")).max()) if pcm.size else 0
    return 20 * math.log10(peak / 32768) if peak else -120.0


async def _chosen(kind: Kind, name: str) -> tuple[str | None, str | None]:
    """The device to open (None: the default) and the sentence when the chosen one is gone.
    No device of this kind at all is a sentence a person can act on, not PortAudio's "-1"."""
    device_list = _device_list()
    try:
        found = await asyncio.to_thread(device_list.list_devices, kind)
    except AudioDeviceError as exc:
        raise SoundCheckFailed(str(exc)) from None
    if not found:
        raise SoundCheckFailed(messages.NO_MICROPHONE if kind == "input" else messages.NO_SPEAKER)
    device, notice = await asyncio.to_thread(device_list.resolve_device, name or None, kind)
    return (device if isinstance(device, str) else None), notice


def _device_list():  # noqa: ANN202 - the module, imported on first use
    from therapy_desktop.audio import device_list

    return device_list


def _with(notice: str | None, sentence: str) -> str:
    return f"{notice} {sentence}" if notice else sentence
