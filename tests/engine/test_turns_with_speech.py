"""Turn handling with real speech over a real aiortc loopback call: noise is not a turn, a turn
is heard and said back, and the exercise starts only after the person says yes."""

from __future__ import annotations

import asyncio
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import conversation_wav, wav_endpoints
from tests.schema import assert_valid_client_event, assert_valid_server_event
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sinks import write_wav
from therapy_desktop.engine.speech import Transcript
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import BreathingExercise, TherapyType

pytestmark = pytest.mark.slow


def _click(path: Path, seconds: float = 0.1, level: float = 20_000) -> Path:
    """A sharp click or tap near the microphone: loud, broadband, a tenth of a second."""
    samples = int(seconds * SAMPLE_RATE)
    burst = np.random.default_rng(3).normal(0, level / 3, samples) * np.hanning(samples)
    write_wav(path, np.clip(burst, -32768, 32767).astype(np.int16), SAMPLE_RATE)
    return path


def _say(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True)
    return path


def _engine_call(engine, call_id: str):
    return engine.calls.get(call_id) or next(c for c in engine.finished_calls if c.id == call_id)


async def test_noise_is_no_turn_and_the_exercise_waits_for_a_yes(engine, demo_provider, utterance_wavs, tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [
        (None, 0.5), (_click(tmp_path / "click.wav"), 2.5), (_click(tmp_path / "tap.wav", 0.05, 12_000), 2.5),
        (utterance_wavs["hello"], 4.0), (utterance_wavs["breathing"], 4.0), (_say("Yes, let's try.", tmp_path / "yes.wav"), 2.0),
    ])
    session = TherapySession(TherapyType.ANXIETY, demo_provider, wav_endpoints(mic, tmp_path / "out.wav"))
    tools = []
    session.events.tool_did_run.connect(tools.append)
    await session.start()

    async def until(condition, timeout: float) -> None:
        async def wait() -> None:
            while not condition():
                await asyncio.sleep(0.1)
        await asyncio.wait_for(wait(), timeout)

    call = _engine_call(engine, session.calls.call.call_id)
    try:
        # The breathing tool ran, and the "yes" before it is in the transcript.
        await until(lambda: tools and len([i for i in session.transcript.visible_items() if i.role == "user" and i.text]) >= 3, 90)
    finally:
        await session.end()
        for item in session.transcript.visible_items():
            print(item.role, repr(item.text))
        print([e["type"] for e in call.sent_events if "delta" not in e["type"]])
    items = session.transcript.visible_items()
    user = [i.text.lower() for i in items if i.role == "user" and i.text]
    assistant = [i.text for i in items if i.role == "assistant" and i.text]
    # Only what was spoken became turns: the click and the tap did not.
    assert len(user) == 3 and "anxious" in user[0] and "breathing" in user[1] and "yes" in user[2], user
    # It greets as an AI first; the first reply says back the person's words; the second offers and
    # asks, it does not start.
    assert "ai companion" in assistant[0].lower()
    assert "anxious" in assistant[1].lower() or "work" in assistant[1].lower()
    assert assistant[2].rstrip().endswith("?")
    assert [type(t.effect) for t in tools] == [BreathingExercise]
    calls = [e["name"] for e in call.sent_events if e["type"] == "response.function_call_arguments.done"]
    assert calls == ["breathing_exercise"]
    for event in call.sent_events:
        assert_valid_server_event(event)
    for event in call.received_events:
        assert_valid_client_event(event)


@pytest.mark.parametrize(("text", "no_speech", "logprob", "voiced", "speech"), [
    ("Bye.", 0.1, -0.4, 100, False),  # a click: too short to be words, whatever Whisper says
    ("Bye.", 0.8, -1.2, 400, False),  # Whisper thinks there was no speech and is unsure
    ("you", 0.3, -1.8, 600, False),  # a guess
    ("...", 0.1, -0.2, 900, False),  # no words
    ("I feel anxious about work.", 0.05, -0.3, 1400, True),
    ("Yes.", 0.2, -0.5, 350, True),
])
def test_what_counts_as_speech(text, no_speech, logprob, voiced, speech):
    assert Transcript(text, no_speech, logprob, voiced).is_speech is speech


def test_the_recogniser_drops_clicks_and_keeps_a_short_yes(engine_models, tmp_path):
    from therapy_desktop.audio.pcm import MonoResampler
    from therapy_desktop.audio.sources import decode_to_pcm

    engine_models.preload()
    transcriber = engine_models._transcriber.result(timeout=60)  # loaded once for the whole run
    rate = 16_000
    click = np.zeros(rate, dtype=np.int16)
    click[4800:6400] = (np.random.default_rng(1).normal(0, 6000, 1600) * np.hanning(1600)).astype(np.int16)
    assert transcriber.transcribe(click) == ""
    yes = MonoResampler(rate).convert_pcm(decode_to_pcm(_say("Yes, let's try.", tmp_path / "y.wav"), 48_000), 48_000)
    padded = np.concatenate([np.zeros(4800, dtype=np.int16), yes, np.zeros(8000, dtype=np.int16)])
    assert "yes" in transcriber.transcribe(padded).lower()
    with wave.open(str(tmp_path / "y.wav")) as f:
        assert f.getnframes() > 0


def test_a_sentence_said_twice_by_the_recogniser_is_kept_once():
    from therapy_desktop.engine.speech import collapse_repeats

    assert collapse_repeats("I feel tense. I feel tense.") == "I feel tense."
    assert collapse_repeats("Yes, let's try mode. Yes, let's try mode.") == "Yes, let's try mode."
    assert collapse_repeats("No. Really, no.") == "No. Really, no."


def test_the_same_words_reach_the_recogniser_the_same_however_the_vad_cut_them():
    from therapy_desktop.engine.speech import framed_utterance

    rate = 16_000
    words = (np.sin(np.arange(rate) * 0.07) * 8_000).astype(np.int16)  # one second of "speech"
    words[:80] = 0  # starts quietly
    cuts = [np.concatenate([np.zeros(lead, dtype=np.int16), words, np.zeros(tail, dtype=np.int16)])
            for lead, tail in [(4_800, 8_000), (4_800 + 320, 8_000 - 512), (100, 0), (16_000, 20_000)]]
    framed = [framed_utterance(cut, 0.4, 0.5) for cut in cuts]
    for other in framed[1:]:
        assert np.array_equal(other, framed[0])
    loud = np.flatnonzero(np.abs(words) > 1_000)
    assert len(framed[0]) == int(0.4 * rate) + (loud[-1] - loud[0] + 1) + int(0.5 * rate)
    # What lies within the lead-in is kept, not replaced by silence.
    assert np.array_equal(framed[0][int(0.4 * rate) - (loud[0] - 80): int(0.4 * rate)], words[80:loud[0]])


def test_audio_with_nothing_loud_is_passed_as_it_is():
    from therapy_desktop.engine.speech import framed_utterance

    quiet = (np.random.default_rng(2).normal(0, 100, 8_000)).astype(np.int16)
    assert framed_utterance(quiet) is quiet
