"""The headless QA run, as a separate process, with the network cut off."""

import json
import os
import shutil
import subprocess
import sys
import wave

import numpy as np
import pytest

from tests.conftest import conversation_wav

pytestmark = pytest.mark.slow


# As root a new network namespace is enough; otherwise map the user to root inside it (-r), which
# unprivileged user namespaces allow, so that the loopback interface can be brought up.
UNSHARE = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]


def _can_cut_the_network() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run([*UNSHARE, "ip", "link", "set", "lo", "up"], capture_output=True).returncode == 0


def _run(args: list[str], offline: bool, timeout: float = 150, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "therapy_desktop", *args]
    if offline:
        # A fresh network namespace has only a loopback interface, and it starts down.
        script = "ip link set lo up && exec " + " ".join(f"'{a}'" for a in command)
        command = [*UNSHARE, "sh", "-c", script]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "THERAPY_DESKTOP_MODE")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the developer's keychain
    env.update(extra_env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def test_a_headless_demo_session_offline_transcribes_both_sides_and_records_the_therapist(utterance_wavs, tmp_path):
    offline = _can_cut_the_network()
    if not offline and os.environ.get("THERAPY_DESKTOP_REQUIRE_OFFLINE") == "1":
        pytest.fail("unshare -n is not available, but the offline run is required")
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0), (utterance_wavs["breathing"], 1.0)])
    speaker, transcript = tmp_path / "speaker.wav", tmp_path / "transcript.json"
    result = _run(["--headless", "--mode", "demo", "--therapy", "anxiety", "--mic-wav", str(mic),
                   "--speaker-wav", str(speaker), "--transcript", str(transcript)], offline=offline)
    assert result.returncode == 0, result.stderr
    items = json.loads(transcript.read_text())["items"]
    assert [i["role"] for i in items] == ["assistant", "user", "assistant", "user", "assistant"]  # greeting first
    assert all(i["text"] and i["item_id"] for i in items)
    assert "breath" in items[4]["text"].lower()  # the guided breathing after the tool call
    with wave.open(str(speaker)) as f:
        pcm = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).astype(np.float32)
        seconds = f.getnframes() / f.getframerate()
    assert seconds > 15
    assert np.sqrt(np.mean(pcm**2)) > 300


def test_a_failure_is_one_clear_line_and_a_nonzero_exit(utterance_wavs):
    result = _run(["--headless", "--mode", "openai", "--mic-wav", str(utterance_wavs["hello"])], offline=False, timeout=60)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # This machine has no keyring (the fail backend): the sentence says so and names the way out.
    assert len(lines) == 1 and lines[0].startswith("therapy-desktop: error: This computer has no password store")
    assert "OPENAI_API_KEY" in lines[0]


def test_bad_arguments_are_refused_before_anything_starts(tmp_path):
    result = _run(["--headless", "--mic-wav", str(tmp_path / "missing.wav")], offline=False, timeout=30)
    assert result.returncode == 2 and "no such file" in result.stderr
    result = _run(["--mic-wav", str(tmp_path / "x.wav")], offline=False, timeout=30)
    assert result.returncode == 2 and "need --headless" in result.stderr


def test_openai_mode_holds_a_session_with_any_ga_server_at_openai_base_url(utterance_wavs, tmp_path):
    """The engine run on its own stands in for OpenAI: same client path as production."""
    engine = subprocess.Popen([sys.executable, "-m", "therapy_desktop.engine", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        settings = {}
        for line in engine.stdout:
            if line.strip() == "ready":
                break
            key, _, value = line.strip().partition("=")
            settings[key] = value
        assert settings["OPENAI_BASE_URL"].startswith("http://127.0.0.1:")
        mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 1.0)])
        transcript = tmp_path / "t.json"
        result = _run(["--headless", "--mode", "openai", "--mic-wav", str(mic), "--speaker-wav", str(tmp_path / "o.wav"),
                       "--transcript", str(transcript)], offline=False, extra_env=settings)
        assert result.returncode == 0, result.stderr
        assert [i["role"] for i in json.loads(transcript.read_text())["items"]] == ["assistant", "user", "assistant"]

        wrong = _run(["--headless", "--mode", "openai", "--mic-wav", str(mic), "--speaker-wav", str(tmp_path / "w.wav")], offline=False,
                     extra_env={**settings, "OPENAI_API_KEY": "sk-wrongwrongwrong"})
        assert wrong.returncode == 1
        assert "API key was not accepted" in wrong.stderr and "sk-wrong" not in wrong.stderr
    finally:
        engine.terminate()
        engine.wait(10)


def test_sigterm_ends_a_device_run_cleanly_and_keeps_the_transcript(tmp_path):
    """Device runs end by signal (benchmarks, QA): the session is hung up and the transcript written."""
    import signal
    import time

    transcript = tmp_path / "t.json"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "THERAPY_DESKTOP_MODE")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    mic = conversation_wav(tmp_path / "silence.wav", [(None, 60.0)])
    process = subprocess.Popen([sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "demo",
                                "--mic-wav", str(mic), "--speaker-wav", str(tmp_path / "o.wav"),
                                "--transcript", str(transcript), "-v"],
                               stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    for line in process.stderr:
        if "session state connecting -> listening" in line or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 130
    assert json.loads(transcript.read_text())["session"]["end_reason"] == "user"


def test_output_paths_that_cannot_be_written_are_refused_before_the_session(utterance_wavs, tmp_path):
    for flag in ("--speaker-wav", "--transcript"):
        result = _run(["--headless", "--mode", "demo", "--mic-wav", str(utterance_wavs["hello"]), flag, str(tmp_path)],
                      offline=False, timeout=30)
        assert result.returncode == 2
        assert result.stderr.strip() == f"therapy-desktop: error: {flag}: {tmp_path} is a folder; give a file name"
