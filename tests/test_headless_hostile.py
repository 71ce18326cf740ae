"""The headless run as a careless user or a hostile server would drive it: every bad input is
refused before anything starts, every failure fails the run loudly, and a killed run leaves its
history behind."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.conftest import conversation_wav
from tests.test_headless import _run
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.engine import protocol as p
from therapy_desktop.headless import HeadlessOptions, run_headless
from therapy_desktop.therapy import TherapyType

pytestmark = pytest.mark.slow


def _one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(value, utterance_wavs):
    result = _run(["--headless", "--mic-wav", str(utterance_wavs["hello"]), "--timeout", value], offline=False, timeout=30)
    assert result.returncode == 2
    assert "--timeout" in _one_line(result)


def test_an_unknown_session_type_is_one_line_not_a_page_of_usage():
    result = _run(["--headless", "--therapy", "hypnosis"], offline=False, timeout=30)
    assert result.returncode == 2
    assert _one_line(result).startswith("therapy-desktop: error: argument --therapy")


def test_a_mood_outside_one_to_ten_is_refused(utterance_wavs):
    result = _run(["--headless", "--mic-wav", str(utterance_wavs["hello"]), "--mood-before", "11"], offline=False, timeout=30)
    assert result.returncode == 2 and "1 to 10" in _one_line(result)


def test_an_empty_recording_and_a_file_that_is_not_audio_are_refused_before_starting(tmp_path):
    empty = tmp_path / "empty.wav"
    write_wav(empty, np.zeros(0, dtype=np.int16), SAMPLE_RATE)
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("this is not a recording\n")
    for path, words in ((empty, "no audio"), (not_audio, "cannot read")):
        result = _run(["--headless", "--mode", "demo", "--mic-wav", str(path)], offline=False, timeout=30)
        assert result.returncode == 2, result.stderr
        assert words in _one_line(result)


def test_a_speaker_file_that_cannot_be_written_fails_the_run(utterance_wavs, tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 1.0)])
    result = _run(["--headless", "--mode", "demo", "--mic-wav", str(mic), "--speaker-wav", "/dev/full"], offline=False)
    assert result.returncode == 1
    assert "Could not write the audio file /dev/full" in result.stderr


async def test_an_error_from_the_server_is_printed_and_fails_the_run(engine, demo_provider, tmp_path, capsys):
    mic = tmp_path / "silence.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE * 3, dtype=np.int16), SAMPLE_RATE)

    async def server_complains():
        while not engine.calls:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        call = next(iter(engine.calls.values()))
        call._send(p.error_event("The model is overloaded right now.", type_="server_error", code="overloaded"))

    complaint = asyncio.ensure_future(server_complains())
    options = HeadlessOptions(TherapyType.GENERAL, mic_wav=mic, speaker_wav=tmp_path / "o.wav", record=False)
    code = await asyncio.wait_for(run_headless(options, demo_provider), 60)
    await complaint
    assert code == 1
    assert "The model is overloaded right now." in capsys.readouterr().err


def test_a_session_killed_mid_conversation_is_interrupted_in_history_with_what_was_said(utterance_wavs, tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0),
                                                   (utterance_wavs["breathing"], 60.0)])
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "THERAPY_DESKTOP_MODE")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    process = subprocess.Popen([sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "demo",
                                "--mood-before", "4", "--mic-wav", str(mic), "--speaker-wav", str(tmp_path / "o.wav"), "-v"],
                               stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 90
    replies = 0
    assert process.stderr is not None
    for line in process.stderr:  # the session logs each state change
        if "therapist_speaking -> " in line:
            replies += 1
        if replies >= 3 or time.monotonic() > deadline:  # the greeting, then the two answers
            break
    time.sleep(1.0)  # the items completed by now are committed
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert replies >= 3

    history = subprocess.run([sys.executable, "-m", "therapy_desktop", "history", "--json"],
                             capture_output=True, text=True, env=env, timeout=30)
    assert history.returncode == 0, history.stderr
    sessions = json.loads(history.stdout)["sessions"]
    assert len(sessions) == 1 and sessions[0]["status"] == "interrupted" and sessions[0]["mood_before"] == 4
    out = tmp_path / "export.md"
    export = subprocess.run([sys.executable, "-m", "therapy_desktop", "export", sessions[0]["session_id"],
                             "--format", "md", "--out", str(out)], capture_output=True, text=True, env=env, timeout=30)
    assert export.returncode == 0, export.stderr
    text = out.read_text().lower()
    assert "anxious" in text and "work" in text  # what the person said before the kill
    assert "breathing" in text  # and the second turn, answered before the kill
