"""The settings file: defaults, round trip, bad values, a broken file, an unwritable folder, no secrets."""

from __future__ import annotations

import json
import os

import pytest

from tests.schema import assert_valid_client_event
from tests.secret_service import secret_service_env
from therapy_desktop.realtime.client_events import session_update
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.settings import Settings, SettingsSaveError, SettingsStore, config_dir, environment_overrides, validate
from therapy_desktop.settings.store import FILE_NAME


def test_the_file_lives_in_the_overridden_config_folder(app_folders):
    assert config_dir() == app_folders / "config"
    assert SettingsStore().path == app_folders / "config" / FILE_NAME


def test_missing_file_gives_the_defaults_newest_full_model_and_marin():
    settings = SettingsStore().load()
    assert settings == Settings() and settings.model == "gpt-realtime-2.1" and settings.voice == "marin"


def test_round_trip_and_version(app_folders):
    chosen = Settings(mode=ConnectMode.BACKEND, voice="cedar", turn_detection="semantic_vad", eagerness="high",
                      noise_reduction="far_field", speed=1.2, backend_url="https://clinic.example.org", idle_timeout_s=30,
                      session_minutes=45)
    SettingsStore().save(chosen)
    document = json.loads((app_folders / "config" / FILE_NAME).read_text())
    assert document["version"] == 1 and document["settings"]["mode"] == "backend"
    assert SettingsStore().load() == chosen
    assert oct((app_folders / "config").stat().st_mode & 0o777) == "0o700"


def test_wrong_values_fall_back_one_by_one(app_folders):
    (app_folders / "config").mkdir(parents=True)
    (app_folders / "config" / FILE_NAME).write_text(json.dumps({"version": 1, "settings": {
        "voice": "cedar", "model": "gpt-retired-9", "speed": "fast", "vad_threshold": 7, "mode": "telepathy",
        "session_minutes": 100_000, "unknown": 1}}))
    settings = SettingsStore().load()
    assert settings.voice == "cedar" and settings.model == "gpt-realtime-2.1"
    assert settings.speed == 1.0 and settings.vad_threshold == 0.5 and settings.mode is None
    assert settings.session_minutes == 30


def test_a_broken_file_is_kept_aside_and_the_person_told(app_folders):
    (app_folders / "config").mkdir(parents=True)
    (app_folders / "config" / FILE_NAME).write_text("{not json")
    store = SettingsStore()
    assert store.load() == Settings()
    assert store.notice and "could not be read" in store.notice
    assert (app_folders / "config" / (FILE_NAME + ".unreadable")).read_text() == "{not json"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_a_sentence(app_folders):
    (app_folders / "config").mkdir(parents=True)
    os.chmod(app_folders / "config", 0o500)
    try:
        with pytest.raises(SettingsSaveError, match="could not be saved"):
            SettingsStore().save(Settings())
    finally:
        os.chmod(app_folders / "config", 0o700)


def test_an_unwritable_path_is_a_sentence(app_folders):
    (app_folders / "blocker").write_text("a file where the folder should be")
    with pytest.raises(SettingsSaveError, match="could not be saved"):
        SettingsStore(app_folders / "blocker" / FILE_NAME).save(Settings())


@pytest.mark.parametrize("url", ["https://sk-abcdefgh12345678@proxy.example.org/v1", "https://user:pw@proxy.example.org/v1",
                                 "http://proxy.example.org/v1", "ftp://x"])
def test_secrets_and_insecure_addresses_are_refused(url):
    problems = validate(Settings(openai_base_url=url))
    assert problems and problems[0].field == "openai_base_url"
    with pytest.raises(SettingsSaveError):
        SettingsStore().save(Settings(openai_base_url=url))


def test_loopback_http_is_allowed():
    assert validate(Settings(openai_base_url="http://127.0.0.1:8080/v1", backend_url="http://localhost:9000")) == []


def test_clinic_backend_address_uses_the_clinic_rule():
    [problem] = validate(Settings(backend_url="http://clinic.example.org"))
    assert "must start with https://" in problem.message


@pytest.mark.parametrize("settings", [
    Settings(),
    Settings(turn_detection="semantic_vad", eagerness="low", noise_reduction="off", speed=0.8, model="gpt-realtime-mini"),
    Settings(idle_timeout_s=60, vad_threshold=0.7, vad_prefix_padding_ms=200, vad_silence_duration_ms=900,
             noise_reduction="far_field", voice="cedar", transcription_model="gpt-4o-transcribe"),
])
def test_every_setting_becomes_a_strictly_valid_session_update(settings):
    config = settings.session_config("Be kind.", [])
    assert_valid_client_event(session_update(config))
    session = config.to_session()
    turn = session["audio"]["input"]["turn_detection"]
    assert turn["type"] == settings.turn_detection
    if settings.idle_timeout_s:
        assert turn["idle_timeout_ms"] == settings.idle_timeout_s * 1000


def test_environment_overrides_never_show_a_secret():
    found = environment_overrides({"OPENAI_API_KEY": "sk-secret-123456789", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1",
                                   "THERAPY_DESKTOP_MODE": "demo", "THERAPY_DESKTOP_BACKEND_TOKEN": "tdb1.x.y"})
    assert set(found) == {"openai_api_key", "openai_base_url", "mode", "clinic_token"}
    assert "sk-secret" not in found["openai_api_key"].sentence() and "tdb1" not in found["clinic_token"].sentence()
    assert "http://127.0.0.1:1/v1" in found["openai_base_url"].sentence()


def test_a_daemon_that_cannot_start_fails_when_devices_are_required(tmp_path, monkeypatch):
    monkeypatch.setenv("THERAPY_DESKTOP_REQUIRE_DEVICES", "1")
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="could not start"):
        next(secret_service_env(tmp_path))
    monkeypatch.delenv("THERAPY_DESKTOP_REQUIRE_DEVICES")
    with pytest.raises(pytest.skip.Exception):
        next(secret_service_env(tmp_path))
