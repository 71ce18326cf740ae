"""Consent before any headless session, and one command that deletes everything the app stored."""

import json
import os
import subprocess
import sys

from therapy_desktop.storage import SessionStore, database_path
from therapy_desktop.storage.consent import accepted_version, consent_path, record_acceptance
from therapy_desktop.therapy import CONSENT_VERSION
from therapy_desktop.therapy.consent import CONSENT_REQUIRED_HEADLESS


def _run(args, env_changes, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "THERAPY_DESKTOP_MODE")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(env_changes)
    for key in [k for k, v in env.items() if v is None]:
        del env[key]
    return subprocess.run([sys.executable, "-m", "therapy_desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def test_a_headless_run_on_a_machine_that_never_accepted_is_refused_in_one_line(utterance_wavs):
    result = _run(["--headless", "--mode", "openai", "--mic-wav", str(utterance_wavs["hello"])],
                  {"THERAPY_DESKTOP_ACCEPT_TERMS": None})
    assert result.returncode == 2
    assert result.stderr.strip() == f"therapy-desktop: error: {CONSENT_REQUIRED_HEADLESS}"
    assert accepted_version() is None


def test_accept_terms_is_remembered_with_the_text_version(utterance_wavs):
    first = _run(["--headless", "--accept-terms", "--mode", "openai", "--mic-wav", str(utterance_wavs["hello"])],
                 {"THERAPY_DESKTOP_ACCEPT_TERMS": None})
    assert first.returncode == 1 and "password store" in first.stderr  # past the consent, stopped by the key
    assert accepted_version() == CONSENT_VERSION
    again = _run(["--headless", "--mode", "openai", "--mic-wav", str(utterance_wavs["hello"])],
                 {"THERAPY_DESKTOP_ACCEPT_TERMS": None})
    assert again.returncode == 1 and "password store" in again.stderr


def test_a_changed_text_asks_again(utterance_wavs):
    record_acceptance("0-an-older-text")
    result = _run(["--headless", "--mode", "openai", "--mic-wav", str(utterance_wavs["hello"])],
                  {"THERAPY_DESKTOP_ACCEPT_TERMS": None})
    assert result.returncode == 2


def test_forget_all_leaves_no_file_of_ours_behind(app_folders):
    data = app_folders / "data"
    with SessionStore.open(database_path(data)) as store:
        session_id = store.create_session(therapy_type="anxiety", mode="demo").result(10)
        store.set_status(session_id, "active").result(10)
    record_acceptance(CONSENT_VERSION)
    (data / "safety-plan.json").write_text(json.dumps({"warning_signs": ["not sleeping"]}))
    (data / "pending-backend-ends.json").write_text("[]")
    config = app_folders / "config" / "therapy-desktop"
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{}")
    assert consent_path().exists()

    result = _run(["forget", "--all", "--yes"], {"THERAPY_DESKTOP_CONFIG_DIR": str(config)})
    assert result.returncode == 0, result.stderr
    left = sorted(str(p.relative_to(app_folders)) for p in app_folders.rglob("*"))
    assert left == ["config"], left  # the data folder and our config folder are gone
    history = _run(["history", "--json"], {})
    assert history.returncode == 0 and json.loads(history.stdout)["sessions"] == []


def test_forget_without_yes_and_without_a_terminal_deletes_nothing(app_folders):
    record_acceptance(CONSENT_VERSION)
    result = _run(["forget", "--all"], {})
    assert result.returncode == 2 and "--yes" in result.stderr
    assert consent_path().exists()
