"""The audio choices in the settings file: defaults, round trip, files from before they existed,
and bad values, each falling back alone."""

from __future__ import annotations

import json

import pytest

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.settings import Settings, SettingsSaveError, SettingsStore, validate
from therapy_desktop.settings.store import FILE_NAME


def write(app_folders, settings: dict) -> None:
    (app_folders / "config").mkdir(parents=True, exist_ok=True)
    (app_folders / "config" / FILE_NAME).write_text(json.dumps({"version": 1, "settings": settings}))


def test_defaults_are_the_system_devices_and_todays_half_duplex():
    settings = Settings()
    assert settings.input_device == "" and settings.output_device == ""
    assert settings.audio_mode is AudioMode.HALF_DUPLEX


def test_devices_and_mode_round_trip_as_plain_values(app_folders):
    chosen = Settings(input_device="USB headset Mono", output_device="Built-in Audio Analog Stereo",
                      audio_mode=AudioMode.SPEAKERS)
    SettingsStore().save(chosen)
    stored = json.loads((app_folders / "config" / FILE_NAME).read_text())["settings"]
    assert stored["input_device"] == "USB headset Mono" and stored["audio_mode"] == "speakers"
    assert SettingsStore().load() == chosen


def test_a_file_from_before_the_audio_page_keeps_everything_else(app_folders):
    write(app_folders, {"voice": "cedar", "model": "gpt-realtime-2.1-mini"})
    settings = SettingsStore().load()
    assert settings.voice == "cedar" and settings.model == "gpt-realtime-2.1-mini"
    assert settings.audio_mode is AudioMode.HALF_DUPLEX and settings.input_device == ""


@pytest.mark.parametrize("bad", [
    {"audio_mode": "loud"}, {"audio_mode": 3}, {"audio_mode": None}, {"input_device": 7},
    {"input_device": "two\nlines"}, {"output_device": "x" * 300}, {"output_device": ["list"]},
])
def test_a_bad_audio_value_falls_back_alone(app_folders, bad):
    write(app_folders, {"voice": "ash", "output_device": "Speakers", "audio_mode": "headphones", **bad})
    settings = SettingsStore().load()
    assert settings.voice == "ash"
    field = next(iter(bad))
    assert getattr(settings, field) == getattr(Settings(), field)
    for other, value in (("output_device", "Speakers"), ("audio_mode", AudioMode.HEADPHONES)):
        if other != field:
            assert getattr(settings, other) == value


def test_saving_refuses_a_device_name_that_is_not_one():
    problems = validate(Settings(input_device="bad\x00name"))
    assert [p.field for p in problems] == ["input_device"]
    with pytest.raises(SettingsSaveError, match="Choose a microphone and a speaker"):
        SettingsStore().save(Settings(input_device="bad\x00name"))
