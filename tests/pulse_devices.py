"""The private PulseAudio room with null sinks for a sound card, for device tests in any folder:
skipped without PulseAudio, a failure instead when THERAPY_DESKTOP_REQUIRE_DEVICES=1 (CI)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from benchmarks.audio_rig import pulse_room


def null_device_room() -> Iterator[None]:
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        reason = "PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)"
        if os.environ.get("THERAPY_DESKTOP_REQUIRE_DEVICES") == "1":
            pytest.fail(f"device test required but {reason}")
        pytest.skip(reason)
    with pulse_room():
        import sounddevice

        sounddevice._terminate()  # PortAudio lists devices once: make it look again
        sounddevice._initialize()
        yield
