"""End to end: the desktop in headless Clinic backend mode -> this backend -> the engine standing in
for OpenAI (`--api-key`, so only the backend can mint keys) -> a whole spoken session -> the end
recorded -> the history shows it to its owner only; the desktop never sees the clinic's key.

Runs as soon as `--mode backend` exists (the lead wires `ClinicBackendKeyProvider` into the app).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backend.conftest import Deployment, deploy
from tests.backend.processes import CLINIC_KEY, ROOT
from tests.conftest import conversation_wav


def _backend_mode_exists() -> bool:
    for name in ("therapy_desktop.realtime.connect_mode", "therapy_desktop.connect_modes"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return "backend" in {mode.value for mode in module.ConnectMode}
    return False


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _backend_mode_exists(), reason="the desktop has no --mode backend yet"),
]


@pytest.fixture(scope="module")
def engine_process() -> Iterator[str]:
    """`therapy-desktop-engine --api-key K`: a GA server that answers only the clinic's key."""
    process = subprocess.Popen([sys.executable, "-m", "therapy_desktop.engine", "--port", "0", "--api-key", CLINIC_KEY],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(3)]  # base URL, key, "ready" (models loaded)
        assert lines[2] == "ready", lines
        yield lines[0].split("=", 1)[1]
    finally:
        process.terminate()
        process.wait(15)


@pytest.fixture(scope="module")
def clinic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, engine_process: str) -> Deployment:
    return deploy("sqlite", request, tmp_path_factory.mktemp("e2e-backend"), engine_process, ["alice", "bob"])


def desktop_env(home: Path, clinic: Deployment, engine_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "THERAPY_DESKTOP_", "BACKEND_", "XDG_")) and k != "DATABASE_URL"}
    env.update({
        "PYTHONPATH": str(ROOT),  # this checkout, not whatever is installed
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "THERAPY_DESKTOP_CONFIG_DIR": str(home / "config" / "therapy-desktop"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # the token comes from the environment
        "THERAPY_DESKTOP_BACKEND_URL": clinic.url,
        "THERAPY_DESKTOP_BACKEND_TOKEN": clinic.tokens["alice"],
        "OPENAI_BASE_URL": engine_url,  # where the desktop posts the call with the backend's ephemeral key
    })
    return env


def test_a_whole_clinic_session_is_recorded_for_its_owner_only(
    clinic: Deployment, engine_process: str, utterance_wavs: dict[str, Path], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0),
                                                   (utterance_wavs["goodbye"], 1.0)])
    transcript = tmp_path / "transcript.json"
    result = subprocess.run(
        [sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "backend", "--accept-terms", "--therapy", "anxiety",
         "--mic-wav", str(mic), "--speaker-wav", str(tmp_path / "speaker.wav"), "--transcript", str(transcript)],
        env=desktop_env(home, clinic, engine_process), cwd=home, capture_output=True, text=True, timeout=150,
    )
    assert result.returncode == 0, result.stderr

    data = json.loads(transcript.read_text())
    roles = [item["role"] for item in data["items"]]
    assert roles[:3] == ["assistant", "user", "assistant"] and roles.count("user") == 2, roles
    assert all(item["text"] for item in data["items"])

    with clinic.client("alice") as alice:
        sessions = alice.get("/voice-therapist/sessions").json()["sessions"]
    assert len(sessions) == 1
    [record] = sessions
    assert record["therapy_type"] == "anxiety"
    assert record["status"] == "completed" and record["end_time"] is not None
    assert record["duration_seconds"] is not None and record["duration_seconds"] >= 10
    assert record["session_summary"]  # the summary the AI companion gave through end_session_summary
    with clinic.client("bob") as bob:
        assert bob.get("/voice-therapist/sessions").json()["sessions"] == []

    # The clinic's key never reached the desktop: not in its output, not in any file it wrote.
    assert CLINIC_KEY not in result.stdout + result.stderr
    assert clinic.tokens["alice"] not in result.stdout + result.stderr
    written = [p for p in home.rglob("*") if p.is_file()] + [transcript]
    for path in written:
        content = path.read_bytes()
        assert CLINIC_KEY.encode() not in content, path
        assert clinic.tokens["alice"].encode() not in content, path
        assert b"ek_" not in content, path
