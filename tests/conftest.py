"""Shared fixtures: offscreen Qt, an in-memory keyring, real speech from espeak-ng, a local engine."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.engine import LocalEngine
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.realtime.keys import DemoKeyProvider, LocalEndpoint


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def app_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tests never write into a developer's real data or config folders; subprocesses inherit it."""
    root = tmp_path_factory.mktemp("app-folders")
    monkeypatch.setenv("THERAPY_DESKTOP_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("THERAPY_DESKTOP_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("THERAPY_DESKTOP_LOG_DIR", str(root / "logs"))
    monkeypatch.setenv("THERAPY_DESKTOP_ACCEPT_TERMS", "1")  # tests of the consent itself unset it
    return root


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Tests never touch a developer's real keychain, nor inherit their API key."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("THERAPY_DESKTOP_MODE", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# -- real speech ---------------------------------------------------------------------------------

UTTERANCES = {
    "hello": "Hello. I have been feeling anxious about work lately.",
    "breathing": "Could we try a breathing exercise together?",
    "goodbye": "Thank you. I think that's all for today. Goodbye.",
    "yes": "Yes, let's try.",
}


def _espeak(text: str, path: Path) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: install it (sudo apt-get install espeak-ng) or run .ci/run")
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True)
    return path


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def utterance_wavs(speech_dir: Path) -> dict[str, Path]:
    return {name: _espeak(text, speech_dir / f"{name}.wav") for name, text in UTTERANCES.items()}


def conversation_wav(path: Path, parts: list[tuple[Path | None, float]]) -> Path:
    """Concatenate utterances with the given seconds of silence after each (sox-free: numpy)."""
    import numpy as np

    from therapy_desktop.audio.pcm import SAMPLE_RATE
    from therapy_desktop.audio.sinks import write_wav
    from therapy_desktop.audio.sources import decode_to_pcm

    chunks = []
    for wav, pause in parts:
        if wav is not None:
            chunks.append(decode_to_pcm(wav))
        chunks.append(np.zeros(int(pause * SAMPLE_RATE), dtype=np.int16))
    write_wav(path, np.concatenate(chunks), SAMPLE_RATE)
    return path


@pytest.fixture(scope="session")
def full_conversation_wav(speech_dir: Path, utterance_wavs: dict[str, Path]) -> Path:
    """Hello → reply; breathing → an offer; yes → tool + guided breathing; goodbye → summary tool + goodbye."""
    return conversation_wav(
        speech_dir / "conversation.wav",
        # The recording waits while the AI companion speaks (its greeting first), so pauses only need
        # to cover the moment before each reply starts.
        # The AI companion asks before an exercise: "yes" starts it.
        [(None, 3.0), (utterance_wavs["hello"], 4.0), (utterance_wavs["breathing"], 4.0), (utterance_wavs["yes"], 4.0),
         (utterance_wavs["goodbye"], 1.0)],
    )


# -- the local engine ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def engine_models() -> Iterator[EngineModels]:
    """Speech models load once per test run (≈2 s); each test gets its own engine around them."""
    models = EngineModels()
    yield models
    models.close()


@pytest.fixture
async def engine(engine_models: EngineModels) -> AsyncIterator[LocalEngine]:
    engine = LocalEngine(models=engine_models, record_events=True)
    await engine.start()
    await engine.models.ready()
    yield engine
    await engine.stop()


@pytest.fixture
def demo_provider(engine: LocalEngine) -> DemoKeyProvider:
    async def endpoint() -> LocalEndpoint:
        return LocalEndpoint(engine.base_url, engine.api_key)

    return DemoKeyProvider(endpoint)


def wav_endpoints(mic: Path, speaker: Path) -> AudioEndpoints:
    return AudioEndpoints(mic_wav=mic, speaker_wav=speaker)
