"""Mute and push-to-talk driven in the real window against the local engine over real aiortc
loopback: what the person does with the controls is what the engine hears."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.conftest import conversation_wav
from tests.ui.conftest import wait_until
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sources import AudioSource, WavFileSource
from therapy_desktop.engine import LocalEngine
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.keys import DemoKeyProvider, LocalEndpoint
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType
from therapy_desktop.ui.main_window import MainWindow
from therapy_desktop.ui.session_controller import SessionController, StartedSession

pytestmark = pytest.mark.slow


class LiveRecording(WavFileSource):
    """A recording that behaves like a live microphone: once armed it runs in real time whether
    or not the uplink is open (what is said while muted is read and lost, as with a real mic).
    Before that, silence."""

    waits_while_muted = False

    def __init__(self, pcm: np.ndarray) -> None:
        super().__init__(pcm)
        self.armed = False

    def read(self, samples: int) -> np.ndarray:
        return super().read(samples) if self.armed else np.zeros(samples, dtype=np.int16)

    @property
    def seconds_played(self) -> float:
        return self._position / SAMPLE_RATE


@dataclass(frozen=True)
class LiveEndpoints(AudioEndpoints):
    live: LiveRecording | None = None

    async def open_source(self) -> AudioSource:
        return self.live if self.live is not None else await super().open_source()


def _window(qtbot, engine: LocalEngine, endpoints: AudioEndpoints, sessions: list) -> MainWindow:
    async def endpoint() -> LocalEndpoint:
        return LocalEndpoint(engine.base_url, engine.api_key)

    async def make(request):
        session = TherapySession(request.therapy, DemoKeyProvider(endpoint), endpoints)
        sessions.append(session)
        return StartedSession(session)

    window = MainWindow(SessionController(make), mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    return window


def _sent(call, type_: str) -> list[dict]:
    return [e for e in call.sent_events if e["type"] == type_]


def _user_texts(session) -> list[str]:
    return [i.text for i in session.transcript.visible_items() if i.role == "user" and i.text]


async def _greeted(window, session, call) -> None:
    await wait_until(lambda: window.status.state is SessionState.LISTENING, 30, "connected")
    await wait_until(lambda: _sent(call, "output_audio_buffer.stopped") and not session.audio.is_playing, 60,
                     "the greeting played")


def test_muted_the_engine_hears_silence_and_no_turn_then_unmuted_it_does(qtbot, qloop, engine_models, utterance_wavs,
                                                                          tmp_path):
    from therapy_desktop.audio.sources import decode_to_pcm

    hello = len(decode_to_pcm(utterance_wavs["hello"])) / SAMPLE_RATE
    mic = conversation_wav(tmp_path / "mic.wav", [(utterance_wavs["hello"], 4.0), (utterance_wavs["breathing"], 30.0)])
    recording = LiveRecording(decode_to_pcm(mic))
    sessions: list[TherapySession] = []
    engine = LocalEngine(models=engine_models, record_events=True)

    async def scenario():
        await engine.start()
        window = _window(qtbot, engine, LiveEndpoints(speaker_wav=tmp_path / "out.wav", live=recording), sessions)
        mic_controls = window.mic_controls
        try:
            qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: sessions and sessions[0].calls.call is not None
                             and sessions[0].calls.call.call_id in engine.calls, 30, "a call")
            session = sessions[0]
            call = engine.calls[session.calls.call.call_id]
            await _greeted(window, session, call)
            qtbot.keyClick(window.transcript, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
            assert mic_controls.muted and session.audio.muted
            muted_before = session.audio._track.muted_frames
            recording.armed = True  # "Hello, I have been feeling anxious about work lately", said while muted
            await wait_until(lambda: recording.seconds_played > hello + 2.5, 30, "the first sentence was said")
            assert not _sent(call, "input_audio_buffer.speech_started") and call.turns == []
            assert _user_texts(session) == [] and window.mic_label.text() == "Mic muted"
            silenced = session.audio._track.muted_frames - muted_before
            assert silenced > 0.9 * (hello + 2.5) * 50  # every 20 ms frame since went out as silence

            qtbot.mouseClick(mic_controls.mute_button, Qt.MouseButton.LeftButton)  # unmute before the second one
            assert not session.audio.muted
            await wait_until(lambda: _user_texts(session), 40, "the second sentence became a turn")
            assert "breathing" in _user_texts(session)[0].lower() and "work" not in _user_texts(session)[0].lower()
            await wait_until(lambda: len([b for b in window.transcript.bubbles() if b.role == "assistant"]) >= 2, 40,
                             "a reply")
        finally:
            window.controller.end()
            await wait_until(lambda: window.status.state in (SessionState.ENDED, SessionState.ERROR), 15, "ended")
            await engine.stop()

    qloop.run_until_complete(scenario())


def test_push_to_talk_held_while_speaking_then_released_gives_a_turn_and_a_reply(qtbot, qloop, engine_models,
                                                                                 utterance_wavs, tmp_path):
    # A recording waits while the uplink is shut, so it is said exactly while the button is held.
    mic = conversation_wav(tmp_path / "mic.wav", [(utterance_wavs["hello"], 0.3)])
    sessions: list[TherapySession] = []
    engine = LocalEngine(models=engine_models, record_events=True)

    async def scenario():
        await engine.start()
        window = _window(qtbot, engine, AudioEndpoints(mic_wav=Path(mic), speaker_wav=tmp_path / "out.wav"), sessions)
        mic_controls = window.mic_controls
        chosen = []
        mic_controls.mode_chosen.connect(chosen.append)
        try:
            mic_controls.mode_picker.setCurrentIndex(mic_controls.mode_picker.findData("push_to_talk"))
            assert chosen == [AudioMode.PUSH_TO_TALK]
            qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: sessions and sessions[0].calls.call is not None
                             and sessions[0].calls.call.call_id in engine.calls, 30, "a call")
            session = sessions[0]
            call = engine.calls[session.calls.call.call_id]
            await _greeted(window, session, call)
            assert call.session["audio"]["input"]["turn_detection"] is None
            assert mic_controls.talk_button.isVisible() and not session.audio.mic_exhausted

            qtbot.mousePress(mic_controls.talk_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: session.audio.mic_exhausted, 20, "the utterance was said while held")
            assert not _sent(call, "input_audio_buffer.committed")  # nothing is a turn until it is let go
            qtbot.mouseRelease(mic_controls.talk_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: _user_texts(session), 30, "a user turn")
            assert "work" in _user_texts(session)[0].lower() or "anxious" in _user_texts(session)[0].lower()
            await wait_until(lambda: len(_sent(call, "output_audio_buffer.stopped")) >= 2, 60, "the reply played")
            bubbles = window.transcript.bubbles()
            assert [b.role for b in bubbles] == ["assistant", "user", "assistant"] and bubbles[2].text
            assert not _sent(call, "input_audio_buffer.speech_started")  # the engine's VAD was off
            assert len(_sent(call, "input_audio_buffer.committed")) == 1
        finally:
            window.controller.end()
            await wait_until(lambda: window.status.state in (SessionState.ENDED, SessionState.ERROR), 15, "ended")
            await engine.stop()

    qloop.run_until_complete(scenario())
