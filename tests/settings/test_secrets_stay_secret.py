"""A whole session in Demo and in OpenAI mode (the engine run on its own as the GA server, with a
known API key), verbose logs on, an export written; then every file under the app's config and
data folders and everything the processes printed is scanned for the API key and for anything
shaped like an ephemeral key or a bearer token: zero hits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import conversation_wav

API_KEY = "sk-proj-secrets-stay-secret-0123456789abcdef"
SHAPES = [re.compile(rb"ek_[A-Za-z0-9_\-]{12,}"), re.compile(rb"(?i)bearer\s+[A-Za-z0-9._\-]{8,}"),
          re.compile(rb"demo-[A-Za-z0-9_\-]{16,}"), re.compile(re.escape(API_KEY.encode()))]


def app(args: list[str], env: dict[str, str], timeout: float = 150) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "therapy_desktop", *args], capture_output=True, timeout=timeout, env=env)


def hits(blob: bytes) -> list[bytes]:
    return [m.group(0)[:12] + b"..." for shape in SHAPES for m in shape.finditer(blob)]


def test_no_key_in_any_file_or_output_after_demo_and_openai_sessions(utterance_wavs, app_folders, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "THERAPY_DESKTOP_MODE", "OPENAI_BASE_URL")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    data = Path(env["THERAPY_DESKTOP_DATA_DIR"])
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 0.3), (utterance_wavs["hello"], 1.0)])
    printed = b""
    engine = subprocess.Popen([sys.executable, "-m", "therapy_desktop.engine", "--port", "0", "--api-key", API_KEY],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        served = {}
        for line in engine.stdout:  # type: ignore[union-attr]
            if line.strip() == "ready":
                break
            name, _, value = line.strip().partition("=")
            served[name] = value
        for mode, extra in (("demo", {}), ("openai", {"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": served["OPENAI_BASE_URL"]})):
            run = app(["--headless", "--verbose", "--mode", mode, "--mic-wav", str(mic), "--speaker-wav",
                       str(data / f"{mode}.wav"), "--transcript", str(data / f"{mode}.json")], {**env, **extra})
            assert run.returncode == 0, run.stderr.decode()[-2000:]
            printed += run.stdout + run.stderr
    finally:
        engine.terminate()
        engine.wait(10)
    listing = app(["history", "--json"], env, timeout=60)
    printed += listing.stdout + listing.stderr
    sessions = json.loads(listing.stdout)["sessions"]
    assert len(sessions) == 2
    for session in sessions:
        exported = app(["export", session["session_id"] if "session_id" in session else session["id"], "--out",
                        str(data / f"export-{len(printed)}.md")], env, timeout=60)
        assert exported.returncode == 0, exported.stderr.decode()
        printed += exported.stdout + exported.stderr
    assert b"client_secrets" in printed or b"realtime" in printed  # the verbose logs were really on

    files = [p for folder in (app_folders / "config", data) if folder.exists() for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".md" for p in files) and any("sqlite" in p.name for p in files)
    found = {str(p): hits(p.read_bytes()) for p in files}
    assert {p: h for p, h in found.items() if h} == {}
    assert hits(printed) == []
