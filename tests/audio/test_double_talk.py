"""The double-talk detector on synthetic loudness tracks: an echo that follows the reference at a
fixed lag and gain, a person who speaks over it, and the echo path changing."""

import numpy as np
import pytest

from therapy_desktop.audio.double_talk import FRAME_S, LOUD_REFERENCE_RMS, DoubleTalkDetector

RATE = round(1 / FRAME_S)


def _speech_envelope(seconds: float, seed: int, level: float = 4000.0) -> np.ndarray:
    """Loudness per 10 ms of something speech-like: syllables of 120–250 ms with gaps between."""
    rng = np.random.default_rng(seed)
    out = np.zeros(round(seconds * RATE))
    i = 0
    while i < len(out):
        length = int(rng.integers(12, 25))
        syllable = level * rng.uniform(0.4, 1.0) * np.hanning(length + 2)[1:-1]
        out[i : i + length] = syllable[: len(out) - i]
        i += length + int(rng.integers(2, 12))
    return out


def _run(reference: np.ndarray, microphone: np.ndarray, lead: int = 10, heard: list[bool] | None = None,
         forget_at: int | None = None) -> tuple[DoubleTalkDetector, np.ndarray]:
    """Feed the reference `lead` frames ahead of the microphone, as the canceller does. `heard`
    collects `hears_speaker` after each frame; the echo path is forgotten before frame `forget_at`."""
    detector = DoubleTalkDetector()
    verdicts = np.zeros(len(microphone), dtype=bool)
    fed = 0
    for i in range(len(microphone)):
        if i == forget_at:
            detector.forget_echo_path()
        while fed < min(len(reference), i + lead + 1):
            detector.reference(fed * FRAME_S, float(reference[fed]))
            fed += 1
        verdicts[i] = detector.microphone(i * FRAME_S, float(microphone[i]))
        if heard is not None:
            heard.append(detector.hears_speaker)
    return detector, verdicts


def _echo(reference: np.ndarray, lag: int, gain: float, noise: float = 20.0) -> np.ndarray:
    echo = np.concatenate([np.zeros(lag), gain * reference])[: len(reference)]
    return np.sqrt(echo**2 + noise**2)


@pytest.mark.parametrize("lag, gain", [(4, 0.3), (12, 0.3), (25, 1.0), (6, 2.0)])
def test_the_echo_alone_is_never_double_talk_and_its_lag_and_gain_are_learned(lag, gain):
    reference = _speech_envelope(12, seed=1)
    detector, verdicts = _run(reference, _echo(reference, lag, gain))
    assert not verdicts.any()
    assert abs(detector.lag - lag) <= 1
    assert gain * 0.8 <= detector.gain <= gain * 1.6


def test_a_person_speaking_over_the_reply_is_found_within_a_syllable():
    reference = _speech_envelope(12, seed=2)
    microphone = _echo(reference, lag=5, gain=0.35)
    person = _speech_envelope(1.5, seed=3, level=3000.0)
    start = 6 * RATE
    microphone[start : start + len(person)] = np.sqrt(microphone[start : start + len(person)] ** 2 + person**2)
    _, verdicts = _run(reference, microphone)
    assert not verdicts[:start].any()
    first = int(np.argmax(verdicts[start:]))
    assert verdicts[start + first] and first <= 10  # 100 ms
    loud = person > 1500
    assert verdicts[start : start + len(person)][loud].mean() > 0.6
    assert not verdicts[start + len(person) + 5 :].any()  # and it lets go after


def test_nothing_is_judged_while_the_speaker_is_silent_or_before_the_echo_path_is_known():
    reference = np.concatenate([np.zeros(2 * RATE), _speech_envelope(0.3, seed=4)])
    microphone = np.full(len(reference), 3000.0)  # someone talking the whole time
    _, verdicts = _run(reference, microphone)
    assert not verdicts.any()


def test_the_person_does_not_teach_it_that_they_are_echo():
    reference = _speech_envelope(14, seed=5)
    microphone = _echo(reference, lag=5, gain=0.3)
    for start in (4 * RATE, 7 * RATE, 10 * RATE):  # three interruptions of ~0.8 s, close together
        person = _speech_envelope(0.8, seed=start, level=2500.0)
        microphone[start : start + len(person)] = np.sqrt(microphone[start : start + len(person)] ** 2 + person**2)
    detector, verdicts = _run(reference, microphone)
    assert detector.gain < 0.45
    assert verdicts[10 * RATE : 10 * RATE + 80].any()


def test_a_louder_echo_path_is_relearned_instead_of_heard_as_a_person_for_ever():
    reference = _speech_envelope(16, seed=6)
    microphone = _echo(reference, lag=5, gain=0.2)
    microphone[6 * RATE :] = _echo(reference, lag=5, gain=0.8)[6 * RATE :]  # the volume turned up
    detector, verdicts = _run(reference, microphone)
    assert verdicts[6 * RATE : 7 * RATE].any()  # at first it sounds like someone else
    assert not verdicts[10 * RATE :].any()
    assert detector.gain > 0.6


def test_frames_beyond_what_was_fed_give_no_verdict():
    detector = DoubleTalkDetector()
    for i in range(5):
        detector.reference(i * FRAME_S, LOUD_REFERENCE_RMS * 10)
    assert detector.microphone(1.0, 5000.0) is False


def test_a_microphone_that_hears_the_speaker_is_told_from_one_that_does_not():
    reference = _speech_envelope(6, seed=11)
    heard, _ = _run(reference, _echo(reference, lag=5, gain=0.35))  # speakers: the echo room's -9 dB
    assert heard.hears_speaker and heard.correlation > 0.8
    # Headphones in a noisy café (hiss loud enough to pass for a voice), and now and then the person
    # (an "mm", a word) over the reply: only the correlation tells.
    rng = np.random.default_rng(13)
    microphone = rng.uniform(80.0, 160.0, len(reference))
    person = _speech_envelope(0.6, seed=12, level=3000.0)
    for start in (1 * RATE, 4 * RATE):
        microphone[start : start + len(person)] = person
    quiet, _ = _run(reference, microphone)
    assert quiet.loud_mic_rms > 60 and quiet.correlation is not None and not quiet.hears_speaker
    # An echo that follows the reference but far too quietly to pass for a voice.
    faint, _ = _run(reference, _echo(reference, lag=5, gain=0.003, noise=2.0))
    assert faint.correlation > 0.5 and not faint.hears_speaker


@pytest.mark.parametrize("seed", range(20))
def test_a_person_answering_the_greeting_on_a_headset_is_not_taken_for_the_speaker(seed):
    """A second of the person over the first second of a reply: over so little, the best of all
    lags can correlate well by chance. No verdict before 2 s of sounding speaker."""
    rng = np.random.default_rng(seed)
    reference = _speech_envelope(4, seed=100 + seed)
    microphone = rng.uniform(15.0, 25.0, len(reference))
    person = _speech_envelope(1.0, seed=200 + seed, level=3000.0)
    microphone[30 : 30 + len(person)] = np.maximum(microphone[30 : 30 + len(person)], person)
    heard: list[bool] = []
    _run(reference, microphone, heard=heard)
    assert not any(heard)


def test_forgetting_the_echo_path_keeps_the_speakers_verdict_from_reaching_the_headphones():
    reference = _speech_envelope(8, seed=21)
    half = 4 * RATE
    microphone = _echo(reference, lag=5, gain=0.35)  # speakers
    microphone[half:] = np.random.default_rng(22).uniform(15.0, 25.0, len(reference) - half)  # headphones on
    heard: list[bool] = []
    _run(reference, microphone, heard=heard, forget_at=half)
    assert heard[half - 1] and not any(heard[half:])
