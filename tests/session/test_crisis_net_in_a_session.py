"""The crisis net as the app runs it in OpenAI mode: the phrasings nobody here tuned on arrive as a
GA server's transcriptions, a moderation endpoint answers too, and the session raises its sticky
flag — each flagged item on its own, the panel once, the session never hung up."""

import numpy as np
import pytest

from tests.fakes import FakeConnection, FakeKeyProvider
from tests.session.test_session_events import user_turn
from tests.therapy.phrase_sets import load
from therapy_desktop.audio.endpoints import AudioEndpoints
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import Net, TherapyType


class ModeratedProvider(FakeKeyProvider):
    """OpenAI mode's second net: a moderation answer for every transcript (here: flags nothing)."""

    def __init__(self) -> None:
        self.moderated: list[str] = []

    async def moderate(self, http, text):
        self.moderated.append(text)
        return False


@pytest.fixture
async def live(tmp_path):
    mic = tmp_path / "mic.wav"
    write_wav(mic, np.zeros(SAMPLE_RATE, dtype=np.int16), SAMPLE_RATE)
    provider = ModeratedProvider()
    session = TherapySession(TherapyType.GENERAL, provider, AudioEndpoints(mic_wav=mic, speaker_wav=tmp_path / "o.wav"),
                             connection_factory=FakeConnection)
    raised = []
    session.safety.crisis_did_raise.connect(raised.append)
    await session.start()
    yield session, FakeConnection.last, provider, raised
    await session.end()


def _say(server, item, previous, text):
    server.deliver(*user_turn(item, previous))
    server.deliver({"type": "conversation.item.input_audio_transcription.completed", "event_id": "t", "item_id": item,
                    "content_index": 0, "transcript": text, "usage": {"type": "duration", "seconds": 1}})


async def test_unseen_phrasings_through_a_live_session(live, capsys):
    session, server, provider, raised = live
    rows = load("unseen_crisis.txt") + load("unseen2_crisis.txt")
    benign = load("unseen_benign.txt") + load("unseen2_benign.txt")
    previous = None
    for n, (_, text) in enumerate(rows + benign):
        _say(server, f"u{n}", previous, text)
        previous = f"u{n}"
    await session.safety.settled()
    flag = session.safety.flag
    caught = sum(flag.is_flagged(f"u{n}") for n in range(len(rows)))
    alarms = sum(flag.is_flagged(f"u{n}") for n in range(len(rows), len(rows) + len(benign)))
    with capsys.disabled():
        print(f"\n  in a live session: recall {caught}/{len(rows)} ({caught / len(rows):.1%}), "
              f"false alarms {alarms}/{len(benign)} ({alarms / len(benign):.1%})")
    assert len(raised) == 1  # the panel comes up once; every item is flagged on its own
    assert caught / len(rows) >= 0.9 and alarms / len(benign) <= 0.05  # measured 149/160, 3/159 (rounds 15 and 16)
    assert len(provider.moderated) == len(rows) + len(benign)  # the second net saw every transcript
    assert session.state.is_in_call  # nobody is hung up on


async def test_the_flag_is_sticky_and_the_model_tool_and_moderation_raise_it_too(live):
    session, server, provider, raised = live
    _say(server, "u1", None, "I don't want to be here anymore.")
    _say(server, "u2", "u1", "Sorry, you misunderstood, I was joking.")
    await session.safety.settled()  # classified on the crisis-net worker, applied on the loop
    assert session.safety.flag.raised and len(raised) == 1
    assert session.safety.flag.nets_for("u1") == {Net.LOCAL} and not session.safety.flag.is_flagged("u2")

    async def flags_everything(http, text):
        return True

    provider.moderate = flags_everything
    session.safety._moderate = lambda text: flags_everything(None, text)  # noqa: SLF001 - a second server's verdict
    _say(server, "u3", "u2", "The weather is nice.")
    await session.safety.settled()
    assert Net.MODERATION in session.safety.flag.nets_for("u3")
    assert session.state is not SessionState.ERROR


async def test_asking_if_it_is_a_person_shows_the_disclosure(live):
    session, server, _, _ = live
    shown = []
    session.safety.disclosure_did_show.connect(shown.append)
    _say(server, "u1", None, "wait am i talking to a real person")
    assert shown and str(shown[-1]) == "asked_if_human"
