"""The canceller against a synthetic room: real speech (espeak-ng) as the AI companion's voice,
coming back into the microphone delayed, attenuated and with a reflection, plus a person
speaking over it. The far end is offered the way the speaker's feed offers it: block by block,
with the time each block reaches the DAC, on a clock that advances with the audio (the tests run
faster than real time)."""

from __future__ import annotations


import numpy as np
import pytest

from therapy_desktop.audio.echo_canceller import (
    APM_FRAME,
    EchoCanceller,
    EchoCancelledSource,
    FarEndTap,
    ReferenceTimeline,
)
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sources import WavFileSource, decode_to_pcm

BLOCK = SAMPLE_RATE // 50  # what the track reads: 20 ms


def _db(pcm: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(pcm.astype(np.float64))) + 1e-9))


@pytest.fixture(scope="module")
def room(utterance_wavs):
    far = np.concatenate([decode_to_pcm(utterance_wavs[n]) for n in ("hello", "breathing", "goodbye")])
    person = decode_to_pcm(utterance_wavs["breathing"])
    delay = int(0.06 * SAMPLE_RATE)  # acoustic path + device buffers: 60 ms
    echo = np.zeros(len(far) + delay, dtype=np.float64)
    echo[delay:] = 0.3 * far
    echo[delay + 480 :] += 0.1 * far[: len(echo) - delay - 480]  # a wall 10 ms further away
    mic = echo.copy()
    talk_at = int(4.0 * SAMPLE_RATE)
    mic[talk_at : talk_at + len(person)] += 0.8 * person
    far = np.concatenate([far, np.zeros(len(mic) - len(far), dtype=np.int16)])
    return far, np.clip(mic, -32768, 32767).astype(np.int16), talk_at, 0.8 * person


class _Clock:
    """Audio time: the end of the microphone block just read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _run(far: np.ndarray, mic: np.ndarray, audible: list[tuple[int, int]] | None = None,
         over_echo: list[bool] | None = None, observing: bool = False,
         hears_speaker: list[bool] | None = None) -> tuple[np.ndarray, EchoCanceller]:
    """Block by block, as the session does. One timeline: far sample n reaches the DAC at n/rate,
    mic sample n reaches the ADC at n/rate. Each far block is offered two blocks (40 ms) before it
    sounds, each mic block read as soon as it is captured. `audible`: the sample ranges the speaker
    had audio queued for (between them its ring is empty and nothing is offered); all by default.
    `over_echo` collects the canceller's double-talk verdict after each block. `observing`: with
    cancellation off (headphones), the microphone passes through and the canceller only follows
    the echo path; `hears_speaker` collects its verdict after each block."""
    clock = _Clock()
    canceller = EchoCanceller(FarEndTap(clock=clock))
    ahead = 2 * BLOCK
    out = []
    for start in range(0, len(mic) - BLOCK + 1, BLOCK):
        clock.now = (start + BLOCK) / SAMPLE_RATE
        offered = start + BLOCK + ahead
        if offered + BLOCK <= len(far) and (audible is None or any(lo <= offered < hi for lo, hi in audible)):
            canceller.tap.offer(far[offered : offered + BLOCK], SAMPLE_RATE, offered / SAMPLE_RATE)
        if observing:
            canceller.observe(mic[start : start + BLOCK], start / SAMPLE_RATE)
            out.append(mic[start : start + BLOCK])
        else:
            out.append(canceller.process(mic[start : start + BLOCK], start / SAMPLE_RATE))
        if over_echo is not None:
            over_echo.append(canceller.person_over_echo)
        if hears_speaker is not None:
            hears_speaker.append(canceller.hears_speaker)
    return np.concatenate(out), canceller


def test_echo_is_removed_and_the_person_kept(room):
    far, mic, talk_at, person = room
    cleaned, canceller = _run(far, mic)
    echo_only = slice(int(1.5 * SAMPLE_RATE), talk_at)  # after the first second and a half
    removed = _db(mic[echo_only]) - _db(cleaned[echo_only])
    assert removed > 30, f"only {removed:.1f} dB of echo removed"
    double_talk = slice(talk_at, talk_at + len(person))
    kept = _db(cleaned[double_talk]) - _db(person)
    assert kept > -6, f"the person's voice lost {-kept:.1f} dB during double talk"
    assert 0 < canceller.delay_ms < 200  # the delay it was told came from the clocks given
    assert canceller.reference_seconds > 2


def test_the_person_over_the_echo_is_told_apart_on_the_raw_microphone(room):
    """The double-talk verdict, through the canceller's own timing (the reference's DAC times, the
    microphone's capture times): never on the echo alone, soon after the person starts over it."""
    far, mic, talk_at, person = room
    verdicts: list[bool] = []
    _run(far, mic, over_echo=verdicts)
    block_s = BLOCK / SAMPLE_RATE
    at = np.arange(len(verdicts)) * block_s
    talk_s, end_s = talk_at / SAMPLE_RATE, (talk_at + len(person)) / SAMPLE_RATE
    echo_only = (at > 1.0) & (at < talk_s)
    assert not np.asarray(verdicts)[echo_only].any()
    during = np.asarray(verdicts)[(at >= talk_s) & (at < end_s)]
    assert during[: round(0.3 / block_s)].any()  # within 300 ms of the person's first word
    assert during.mean() > 0.2  # and over much of what they say (syllables, not the gaps between)


def test_a_reply_after_a_pause_is_cancelled_from_its_first_word(utterance_wavs):
    """Between replies the speaker's ring is empty and nothing is offered: the canceller must still
    feed the module a silent reference for that time, or the next reply reaches it shifted by the
    pause and its first second goes through (6 dB removed instead of ~50, before the fix)."""
    reply = decode_to_pcm(utterance_wavs["breathing"])
    pause = np.zeros(3 * SAMPLE_RATE, dtype=np.int16)
    far = np.concatenate([reply, pause, reply, pause, reply])
    starts = [0, len(reply) + len(pause), 2 * (len(reply) + len(pause))]
    mic = np.clip(0.35 * far.astype(np.float64), -32768, 32767).astype(np.int16)  # heard as it plays
    cleaned, canceller = _run(far, mic, audible=[(s, s + len(reply)) for s in starts])
    for start in starts[1:]:
        first_second = slice(start, start + SAMPLE_RATE)
        removed = _db(mic[first_second]) - _db(cleaned[first_second])
        assert removed > 30, f"only {removed:.1f} dB removed in the first second of the reply at {start / SAMPLE_RATE:.1f} s"
    assert canceller.reference_frames == pytest.approx(canceller.frames, abs=12)  # one per 10 ms, pauses too


def test_the_timeline_chains_blocks_fills_silence_and_forgets_what_a_flush_replaced():
    rate = SAMPLE_RATE
    timeline = ReferenceTimeline()
    ones = np.ones(APM_FRAME, dtype=np.int16)
    timeline.add(1.0, ones)
    timeline.add(1.0 + APM_FRAME / rate + 0.003, 2 * ones)  # jitter: chained to the first, sample for sample
    assert (timeline.frame_at(1.0, settled=0.0) == 1).all()
    assert (timeline.frame_at(1.01, settled=0.0) == 2).all()
    assert timeline.frame_at(1.02, settled=0.0) is None  # its audio may still come
    assert not timeline.frame_at(1.02, settled=1.05).any()  # nothing can come for it now: silence
    timeline.add(2.0, 3 * ones)
    timeline.add(2.0 + APM_FRAME / rate, 4 * ones)
    timeline.add(2.005, 5 * ones)  # early by the feed's jitter, not a flush: chained after the 4s
    assert (timeline.frame_at(1.5, settled=0.0) == 0).all()  # a later block exists: the gap is silence
    assert (timeline.frame_at(2.02, settled=3.0) == 5).all()
    timeline.add(2.1, 8 * ones)  # after a pause: a new stretch, the pause is silence
    assert not timeline.frame_at(2.04, settled=0.0).any()
    assert (timeline.frame_at(2.1, settled=0.0) == 8).all()
    timeline.add(4.0, 6 * ones)
    timeline.add(4.0 + APM_FRAME / rate, 7 * ones)
    timeline.add(4.005, np.zeros(0, dtype=np.int16))  # a flush with nothing new to play yet
    frame = timeline.frame_at(4.0, settled=5.0)
    assert (frame[: APM_FRAME // 2] == 6).all() and not frame[APM_FRAME // 2 :].any()
    assert not timeline.frame_at(4.01, settled=5.0).any()


def test_the_tap_knows_how_soon_a_new_block_can_sound():
    clock = _Clock()
    tap = FarEndTap(clock=clock)
    assert tap.settled_until() == pytest.approx(-0.03)
    clock.now = 10.0
    tap.offer(np.ones(BLOCK, dtype=np.int16), SAMPLE_RATE, 10.05)
    tap.offer(np.ones(BLOCK, dtype=np.int16), SAMPLE_RATE, 10.09)
    assert tap.min_ahead == pytest.approx(0.05)
    assert tap.settled_until() == pytest.approx(10.02)


def test_disabled_canceller_passes_the_microphone_through(room):
    far, mic, _, _ = room
    source = EchoCancelledSource(WavFileSource(mic[: BLOCK * 10]), EchoCanceller(FarEndTap()))
    source.enabled = False
    assert np.array_equal(np.concatenate([source.read(BLOCK) for _ in range(10)]), mic[: BLOCK * 10])


def test_with_cancellation_off_it_still_tells_a_microphone_that_hears_the_speaker(room):
    """Headphones chosen on a laptop's speakers: the reply comes back into the microphone, and a
    barge-in mode without cancellation would pause on it. Watching costs no AEC3 frame."""
    far, mic, talk_at, person = room
    verdicts: list[bool] = []
    _, on_speakers = _run(far[:talk_at], mic[:talk_at], observing=True, hears_speaker=verdicts)
    assert on_speakers.hears_speaker and on_speakers.frames == 0
    assert not any(verdicts[: round(1.9 * SAMPLE_RATE / BLOCK)])  # never on under 2 s of reply
    assert on_speakers.reference_seconds == 0  # AEC3 heard none of it: a switch to speakers still warms up
    # Headphones: the room's hiss, and the person over the reply, from its start (a greeting
    # answered at once) or for half a second later on (longer, and barge-in would have stopped it).
    rng = np.random.default_rng(3)
    for spans in ([(int(0.3 * SAMPLE_RATE), int(1.3 * SAMPLE_RATE))],
                  [(SAMPLE_RATE, int(1.5 * SAMPLE_RATE)), (int(2.5 * SAMPLE_RATE), 3 * SAMPLE_RATE)]):
        headset = rng.normal(0, 150, talk_at)
        for lo, hi in spans:
            headset[lo:hi] += person[: hi - lo]
        verdicts = []
        _, on_headphones = _run(far[:talk_at], np.clip(headset, -32768, 32767).astype(np.int16), observing=True,
                                hears_speaker=verdicts)
        assert on_headphones.double_talk.correlation is not None and not any(verdicts), spans


def test_a_source_watching_the_echo_passes_the_microphone_through_and_feeds_the_detector(room):
    far, mic, _, _ = room
    canceller = EchoCanceller(FarEndTap())
    source = EchoCancelledSource(WavFileSource(mic[: BLOCK * 10]), canceller)
    source.switch(cancel=False, watch_echo=True)
    assert np.array_equal(np.concatenate([source.read(BLOCK) for _ in range(10)]), mic[: BLOCK * 10])
    assert canceller.frames == 0 and canceller.double_talk._t0 is None  # no reference yet: nothing learned


def test_a_microphone_left_unread_for_minutes_does_not_walk_the_gap_through_the_canceller(room):
    """Half-duplex for ten minutes, then speakers: feeding starts afresh at the microphone's time
    instead of running 60 000 reference frames through AEC3 on the loop."""
    far, mic, _, _ = room
    clock = _Clock()
    canceller = EchoCanceller(FarEndTap(clock=clock))
    for start in range(0, 50 * BLOCK, BLOCK):
        clock.now = (start + BLOCK) / SAMPLE_RATE
        canceller.tap.offer(far[start : start + BLOCK], SAMPLE_RATE, (start + 2 * BLOCK) / SAMPLE_RATE)
        canceller.process(mic[start : start + BLOCK], start / SAMPLE_RATE)
    fed = canceller.reference_frames
    later = 600.0
    clock.now = later + BLOCK / SAMPLE_RATE
    canceller.process(mic[:BLOCK], later)
    assert canceller.reference_frames - fed < 20
    assert canceller.double_talk.lag is None  # the detector's timeline started again too


def test_a_full_tap_counts_what_it_lost():
    tap = FarEndTap(maxlen=2)
    for _ in range(3):
        tap.offer(np.ones(BLOCK, dtype=np.int16), SAMPLE_RATE, 0.0)
    assert tap.lost == 1 and len(tap.drain()) == 2


def test_the_speaker_level_falls_with_time_once_nothing_more_is_offered():
    """Held or ended playback offers nothing: the level (the voice detector's floor over speakers)
    must fall by the clock, or a reply paused while loud hides the person who paused it."""
    clock = _Clock()
    canceller = EchoCanceller(FarEndTap(clock=clock))
    loud = (4000 * np.sin(np.arange(BLOCK) / 10)).astype(np.int16)
    for n in range(5):  # 100 ms of loud reply, offered 40 ms ahead of its sound
        canceller.tap.offer(loud, SAMPLE_RATE, 0.04 + n * BLOCK / SAMPLE_RATE)
    canceller.process(np.zeros(BLOCK, dtype=np.int16), 0.0)
    playing = canceller.reference_rms
    assert playing > 2500
    clock.now = 0.14  # the last block is sounding now
    assert canceller.reference_rms == pytest.approx(playing)
    clock.now = 0.14 + 0.3
    assert canceller.reference_rms == pytest.approx(playing / np.e, rel=0.01)
    clock.now = 0.14 + 1.5
    assert canceller.reference_rms < 0.01 * playing


def test_a_flush_ends_the_speaker_level_where_the_sound_was_cut():
    clock = _Clock()
    canceller = EchoCanceller(FarEndTap(clock=clock))
    loud = (4000 * np.sin(np.arange(BLOCK) / 10)).astype(np.int16)
    for n in range(10):  # queued until 0.24 s
        canceller.tap.offer(loud, SAMPLE_RATE, 0.04 + n * BLOCK / SAMPLE_RATE)
    canceller.tap.offer(np.zeros(0, dtype=np.int16), SAMPLE_RATE, 0.06)  # flushed: silent from 0.06 s
    canceller.process(np.zeros(BLOCK, dtype=np.int16), 0.0)
    clock.now = 0.06 + 0.3
    assert canceller.reference_rms < 0.4 * 2828  # decaying since the cut, not since 0.24 s
