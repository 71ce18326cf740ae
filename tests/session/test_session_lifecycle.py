"""Hanging up from every state ends the session exactly once and releases everything."""

import asyncio

import numpy as np
import pytest

from tests.fakes import FakeConnection, FakeKeyProvider
from therapy_desktop.audio.endpoints import AudioEndpoints, _open_closing_if_abandoned
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.realtime.errors import ConnectionLost, NetworkUnreachable
from therapy_desktop.session import conversation
from therapy_desktop.session.reconnect import ReconnectPolicy
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType
from tests.waiting import wait_until


class SlowClosingConnection(FakeConnection):
    async def close(self) -> None:
        await asyncio.sleep(0.3)  # aiortc can take seconds to close a dead transport
        await super().close()


class FlakyKeyProvider(FakeKeyProvider):
    """Mints `fail_after` keys, then fails as if the network were down (None: never fails)."""

    def __init__(self, fail_after: int | None) -> None:
        self.fail_after, self.minted, self.failures = fail_after, 0, 0

    async def mint(self, http, session):
        if self.fail_after is not None and self.minted >= self.fail_after:
            self.failures += 1
            raise NetworkUnreachable("Creating a session key failed: cannot reach the service.")
        self.minted += 1
        return await super().mint(http, session)


class FailingKeyProvider:
    label = "Failing"

    def __init__(self) -> None:
        self.attempted = asyncio.Event()

    async def mint(self, http, session):
        self.attempted.set()
        await asyncio.sleep(0.05)
        raise NetworkUnreachable("Creating a session key failed: cannot reach the service.")


@pytest.fixture
def endpoints(tmp_path):
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    return AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "out.wav")


def _session(endpoints, provider=None, connection=SlowClosingConnection):
    session = TherapySession(TherapyType.GENERAL, provider or FakeKeyProvider(), endpoints, connection_factory=connection)
    ends, errors = [], []
    session.events.session_did_end.connect(ends.append)
    session.events.error_did_occur.connect(errors.append)
    return session, ends, errors


async def test_end_pressed_while_reconnecting_ends_once_as_the_persons_choice(endpoints):
    provider = FlakyKeyProvider(fail_after=1)
    session, ends, errors = _session(endpoints, provider)
    await session.start()
    FakeConnection.last.on_lost(ConnectionLost("The voice connection was lost."))
    await wait_until(lambda: session.state is SessionState.RECONNECTING and provider.failures, 5, "retrying")
    await session.end()  # the person presses End while it retries
    assert [o.reason for o in ends] == ["user"]
    assert session.state is SessionState.ENDED


async def test_reconnecting_gives_up_with_a_sentence_and_try_again_resumes(endpoints):
    provider = FlakyKeyProvider(fail_after=1)
    session = TherapySession(TherapyType.GENERAL, provider, endpoints, connection_factory=FakeConnection,
                             reconnect=ReconnectPolicy(first_delay=0.01, max_delay=0.05, give_up_after=0.3))
    errors = []
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    FakeConnection.last.on_lost(ConnectionLost("The voice connection was lost."))
    await wait_until(lambda: session.state is SessionState.DISCONNECTED, 5, "gave up")
    assert "conversation so far is kept" in errors[-1] and "Try again" in errors[-1]
    assert provider.failures >= 2  # it did retry before giving up
    provider.fail_after = None  # the network is back
    session.retry()
    await wait_until(lambda: session.state is SessionState.LISTENING, 5, "resumed")
    assert len(session.calls.calls) == 2
    await session.end()



async def test_two_hang_ups_at_once_tear_down_once(endpoints):
    session, ends, _ = _session(endpoints)
    await session.start()
    await asyncio.gather(session.end(), session.end(), session.end("summary"))
    assert [o.reason for o in ends] == ["user"]
    assert FakeConnection.last.closed


async def test_a_cancelled_caller_does_not_cut_the_hang_up_short(endpoints):
    session, ends, _ = _session(endpoints)
    await session.start()
    ending = asyncio.ensure_future(session.end())
    await asyncio.sleep(0.05)
    ending.cancel()  # the window closes and cancels its tasks
    outcome = await asyncio.wait_for(session.wait_ended(), 2)
    assert outcome.reason == "user" and FakeConnection.last.closed
    assert (endpoints.speaker_wav).exists()  # the speaker file was still written


async def test_hanging_up_while_a_failed_connect_cleans_up_does_not_leave_it_connecting(endpoints):
    provider = FailingKeyProvider()
    session, ends, errors = _session(endpoints, provider)
    start = asyncio.ensure_future(session.start())
    await provider.attempted.wait()
    await asyncio.sleep(0.06)  # the mint has failed; start() is cleaning up
    start.cancel()
    outcome = await asyncio.wait_for(session.wait_ended(), 2)
    assert session.state in (SessionState.ERROR, SessionState.ENDED)
    assert len(ends) == 1 and outcome is ends[0]


async def test_no_reply_after_a_turn_goes_back_to_listening(endpoints, monkeypatch):
    monkeypatch.setattr(conversation, "REPLY_WAIT", 0.2)
    session, _, _ = _session(endpoints, connection=FakeConnection)
    await session.start()
    FakeConnection.last.deliver(
        {"type": "input_audio_buffer.speech_started", "event_id": "a", "audio_start_ms": 0, "item_id": "u"},
        {"type": "input_audio_buffer.speech_stopped", "event_id": "b", "audio_end_ms": 500, "item_id": "u"},
    )
    assert session.state is SessionState.THINKING
    await asyncio.sleep(0.4)
    assert session.state is SessionState.LISTENING and session.is_quiet
    await session.end()


async def test_a_microphone_opened_after_the_caller_gave_up_is_closed():
    opened, closed = [], []

    class SlowMic:
        def __init__(self, device):
            import time

            time.sleep(0.2)
            opened.append(self)

        def close(self):
            closed.append(self)

    task = asyncio.ensure_future(_open_closing_if_abandoned(SlowMic, None))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.3)
    assert len(opened) == 1 and closed == opened


async def test_a_missing_key_is_reported_before_a_missing_speaker(tmp_path):
    from therapy_desktop.audio.errors import AudioDeviceError
    from therapy_desktop.realtime.errors import CredentialsMissing

    class NoKey:
        label = "None"

        async def mint(self, http, session):
            raise CredentialsMissing("No OpenAI API key is set.")

    class NoSpeaker(AudioEndpoints):
        async def open_sink(self):
            raise AudioDeviceError("Could not open a speaker.")

    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    session = TherapySession(TherapyType.GENERAL, NoKey(), NoSpeaker(mic_wav=mic), connection_factory=FakeConnection)
    errors = []
    session.events.error_did_occur.connect(errors.append)
    await session.start()
    assert errors == ["No OpenAI API key is set."]
