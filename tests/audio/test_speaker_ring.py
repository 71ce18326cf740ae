"""The speaker's hand-over: the loop feeds a lock-free ring that a device thread plays.

The ring is the real one (PortAudio's pa_ringbuffer, as rtmixer builds it); the consumer is a
thread that does what rtmixer's C callback does with it — every block it takes what the ring has
up to a block, and ends the play action when the ring had less — at uneven, random moments, while
the producer pushes odd-sized chunks at other random moments. Every sample is numbered, so a lost,
doubled or reordered one shows."""

from __future__ import annotations

import random
import threading
import time

import numpy as np
import pytest

from therapy_desktop.audio.jitter_buffer import JitterBuffer
from therapy_desktop.audio.speaker_ring import CAPACITY, RESERVE_S, RingFeed, SpeakerRing

rtmixer = pytest.importorskip("rtmixer")

RATE = 48_000
BLOCK = 480
RESERVE_MS = round(RESERVE_S * 1000)


class ThreadedMixer:
    """rtmixer.Mixer's play/cancel/actions contract, its callback on a thread of its own."""

    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._active: list[object] = []
        self._cancelled: list[object] = []  # the actions themselves: an id could be reused
        self.played: list[np.ndarray] = []  # what each action took from its ring, in order
        self.blocks = 0
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def actions(self) -> set[object]:
        with self._lock:
            return set(self._active)

    def play_ringbuffer(self, ring: object) -> object:
        action = ("play", ring, object())
        with self._lock:
            self._active.append(action)
        return action

    def cancel(self, action: object) -> None:
        with self._lock:
            self._cancelled.append(action)

    def __enter__(self) -> ThreadedMixer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.callback()
            time.sleep(self._random.choice((0, 0, 0.0002, 0.001, 0.003)))

    def callback(self) -> None:
        with self._lock:
            actions = list(self._active)
        for action in actions:
            ring = action[1]
            if any(action is c for c in self._cancelled):
                self._remove(action)
                continue
            take = min(BLOCK, ring.read_available)
            if take:
                data = np.empty(take, dtype=np.float32)
                assert ring.readinto(data) == take
                self.played.append(data)
            if take < BLOCK:
                self._remove(action)
        self.blocks += 1

    def _remove(self, action: object) -> None:
        with self._lock:
            self._active.remove(action)


class _Downstream:
    """What DeviceSpeaker does as the jitter buffer's downstream."""

    def __init__(self, feed: RingFeed) -> None:
        self.feed = feed

    def pushed(self) -> None:
        self.feed.feed()

    def held(self) -> None:
        self.feed.pause()

    def cleared(self) -> None:
        self.feed.flush()


def _play_out(buffer: JitterBuffer, feed: RingFeed, mixer: ThreadedMixer, total: int) -> None:
    """Feed until the `total` numbered samples pushed so far have played (10 s at most). A stream goes
    on after its last word: without more audio, what follows a gap would wait for the prebuffer for
    ever, so numbered padding lets the last real samples out."""
    buffer.push(_numbered(RATE * 30 // 1000, total))
    deadline = time.monotonic() + 10
    while sum(map(len, mixer.played)) < total and time.monotonic() < deadline:
        feed.feed()
        time.sleep(0.001)


def _numbered(count: int, start: int = 0) -> np.ndarray:
    """Samples that are their own position (mod 30000, all representable exactly as float32/32768)."""
    return ((np.arange(start, start + count) % 30_000) + 1).astype(np.int16)


def _as_int16(played: list[np.ndarray]) -> np.ndarray:
    if not played:
        return np.zeros(0, dtype=np.int16)
    return np.rint(np.concatenate(played) * 32768).astype(np.int16)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_sample_plays_once_and_in_order_with_producer_and_consumer_racing(seed):
    chance = random.Random(seed)
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)  # no drops: every sample must arrive
    with ThreadedMixer(seed) as mixer:
        feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE * 80 // 1000)
        buffer.downstream = _Downstream(feed)
        total = 0
        while total < RATE * 3:
            count = chance.choice((1, 7, 240, 479, 480, 481, 960, 1500))
            buffer.push(_numbered(count, total))
            total += count
            if chance.random() < 0.3:
                feed.feed()  # the periodic feed, between pushes
            time.sleep(chance.choice((0, 0.0005, 0.002)))
        _play_out(buffer, feed, mixer, total)
    played = _as_int16(mixer.played)
    assert np.array_equal(played[:total], _numbered(total))
    assert np.array_equal(played[total:], _numbered(len(played) - total, total))  # padding, in order too
    assert mixer.blocks > 100  # the consumer really ran alongside


def test_the_ring_never_holds_more_than_its_horizon_and_the_rest_waits():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)  # not started: nothing is consumed
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE * 80 // 1000)
    buffer.push(_numbered(RATE))  # a second arrives at once
    feed.feed()
    assert feed.ring.queued == RATE * 80 // 1000
    assert buffer.buffered_ms == pytest.approx(920)
    assert feed.latency == pytest.approx(0.02 + 0.08)
    mixer.callback()  # one block played
    feed.feed()
    assert feed.ring.queued == RATE * 80 // 1000 and _as_int16(mixer.played).tolist() == _numbered(BLOCK).tolist()


def test_running_dry_mid_sound_is_a_gap_and_the_jitter_buffer_prebuffers_again():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE)
    buffer.push(_numbered(BLOCK * 3))
    feed.feed()
    for _ in range(4):
        mixer.callback()  # three full blocks, then an empty one ends the action
    assert mixer.actions == set()
    feed.feed()
    assert feed.gaps == 1 and buffer.underruns == 1  # numbered samples are loud: cut off mid-sound
    buffer.push(_numbered(BLOCK, BLOCK * 3))  # 10 ms: below the 30 ms prebuffer, so it waits
    feed.feed()
    assert feed.ring.queued == 0
    buffer.push(_numbered(BLOCK * 2, BLOCK * 4))
    feed.feed()
    assert feed.ring.queued == BLOCK * 3 and len(mixer.actions) == 1


def test_running_dry_after_silence_is_a_pause_not_a_gap():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.0, horizon=RATE)
    buffer.push(np.zeros(BLOCK * 3, dtype=np.int16))  # the end of a reply, then the sender pauses
    feed.feed()
    for _ in range(4):
        mixer.callback()
    feed.feed()
    assert feed.gaps == 0 and buffer.underruns == 0
    buffer.push(_numbered(BLOCK * 3))  # the next reply prebuffers and plays
    feed.feed()
    assert feed.ring.queued == BLOCK * 3


def test_flush_drops_what_is_queued_and_what_follows_plays_from_a_fresh_ring():
    buffer = JitterBuffer(RATE, prebuffer_ms=0, max_ms=60_000)
    mixer = ThreadedMixer(0)
    ring = SpeakerRing(mixer, rtmixer.RingBuffer)
    feed = RingFeed(ring, buffer, RATE, 0.02, horizon=RATE)
    buffer.push(_numbered(BLOCK * 4))
    feed.feed()
    mixer.callback()
    ring.flush()  # barge-in
    mixer.callback()  # the callback takes the cancel: nothing more of the old audio
    assert ring.queued == 0 and mixer.actions == set()
    buffer.push(_numbered(BLOCK, 100_000))
    feed.feed()
    mixer.callback()
    assert _as_int16(mixer.played).tolist() == _numbered(BLOCK).tolist() + _numbered(BLOCK, 100_000).tolist()


def test_the_ring_is_a_power_of_two_larger_than_any_horizon():
    assert CAPACITY & (CAPACITY - 1) == 0 and CAPACITY > RATE * 80 // 1000


def _steady_stream(buffer: JitterBuffer, feed: RingFeed, mixer: ThreadedMixer, chunk, frames: int) -> None:
    """`frames` of 20 ms pushed at the rate the device plays them (two 10 ms blocks each)."""
    for i in range(frames):
        buffer.push(chunk(i))
        feed.feed()
        mixer.callback()
        mixer.callback()


def test_a_backlog_a_burst_parked_in_the_ring_is_shed_in_silence():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)  # driven by hand: one callback is one 10 ms block
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.04, horizon=RATE * 80 // 1000)
    buffer.push(np.zeros(RATE * 100 // 1000, dtype=np.int16))  # the loop stalled: 100 ms arrive at once
    feed.feed()
    assert feed.ring.queued == RATE * 80 // 1000
    _steady_stream(buffer, feed, mixer, lambda i: np.zeros(BLOCK * 2, dtype=np.int16), 150)  # 3 s of silence
    # The ring and this buffer together hold no more than the prebuffer and the ring's reserve.
    assert feed.ring.queued + buffer.buffered_ms * RATE / 1000 <= RATE * (30 + RESERVE_MS) // 1000
    assert buffer.dropped_samples >= RATE * 30 // 1000 and feed.gaps == 0


def test_a_backlog_under_speech_is_kept_so_no_word_is_cut():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.04, horizon=RATE * 80 // 1000)
    buffer.push(_numbered(RATE * 100 // 1000))
    feed.feed()
    _steady_stream(buffer, feed, mixer, lambda i: _numbered(BLOCK * 2, RATE // 10 + i * BLOCK * 2), 150)
    assert buffer.dropped_samples == 0
    played = _as_int16(mixer.played)
    assert np.array_equal(played, _numbered(len(played)))  # every sample, in order


def test_a_flush_tells_the_echo_canceller_that_what_was_queued_will_not_sound():
    from therapy_desktop.audio.echo_canceller import FarEndTap

    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    feed = RingFeed(SpeakerRing(ThreadedMixer(0), rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE * 80 // 1000)
    feed.reference = FarEndTap()
    buffer.push(_numbered(RATE))
    feed.feed()
    feed.flush()
    offered = feed.reference.drain()
    assert [len(block) for _, _, block in offered] == [RATE * 80 // 1000, 0]  # the audio, then the flush mark
    assert feed.ring.queued == 0
    assert offered[1][0] < offered[0][0] + 0.08  # from the flush on, what was queued is gone


def test_a_pause_stops_what_the_ring_holds_and_gives_it_back_so_the_resumed_reply_loses_nothing():
    buffer = JitterBuffer(RATE, prebuffer_ms=0, max_ms=60_000)
    mixer = ThreadedMixer(0)  # driven by hand
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=BLOCK * 4)
    buffer.downstream = _Downstream(feed)
    buffer.push(_numbered(BLOCK * 6))
    assert feed.ring.queued == BLOCK * 4
    mixer.callback()  # one block played
    buffer.hold(True)  # speech over the reply
    feed.feed()
    assert buffer.buffered_ms == pytest.approx(20)  # not back yet: the callback still holds the old ring
    mixer.callback()  # ... which takes the cancel: nothing more of it plays
    feed.feed()
    assert buffer.buffered_ms == pytest.approx(50)  # the ring's three unplayed blocks are back at the front
    assert buffer.played_samples == BLOCK  # what the truncate says was heard
    for _ in range(3):
        mixer.callback()
    assert _as_int16(mixer.played).tolist() == _numbered(BLOCK).tolist()  # silence while held
    buffer.hold(False)  # a cough: the reply resumes where it paused
    for _ in range(8):
        mixer.callback()
        feed.feed()
    assert _as_int16(mixer.played).tolist() == _numbered(BLOCK * 6).tolist()


def test_a_pause_then_an_interruption_drops_the_given_back_audio_too():
    buffer = JitterBuffer(RATE, prebuffer_ms=0, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=BLOCK * 4)
    buffer.downstream = _Downstream(feed)
    buffer.push(_numbered(BLOCK * 6))
    mixer.callback()
    buffer.hold(True)
    buffer.clear()  # the pause became a barge-in before the callback let go of the old ring
    mixer.callback()
    feed.feed()
    assert buffer.buffered_ms == 0 and feed.ring.queued == 0
    buffer.hold(False)
    buffer.push(_numbered(BLOCK, 100_000))
    mixer.callback()
    assert _as_int16(mixer.played).tolist() == _numbered(BLOCK).tolist() + _numbered(BLOCK, 100_000).tolist()


@pytest.mark.parametrize("seed", [4, 5])
def test_pauses_and_resumes_racing_the_device_lose_double_or_reorder_nothing(seed):
    chance = random.Random(seed)
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    with ThreadedMixer(seed) as mixer:
        feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE * 80 // 1000)
        buffer.downstream = _Downstream(feed)
        total = 0
        while total < RATE * 2:
            count = chance.choice((7, 240, 480, 481, 960))
            buffer.push(_numbered(count, total))
            total += count
            roll = chance.random()
            if roll < 0.08:
                buffer.hold(not buffer.held)  # short holds: nothing piles up past HOLD_MAX_MS
            elif roll < 0.4:
                feed.feed()
            time.sleep(chance.choice((0, 0.0005, 0.002)))
        buffer.hold(False)
        _play_out(buffer, feed, mixer, total)
    played = _as_int16(mixer.played)
    assert buffer.dropped_samples == 0
    assert np.array_equal(played[:total], _numbered(total))


def _paused_room(horizon_blocks: int = 4) -> tuple[JitterBuffer, ThreadedMixer, RingFeed]:
    buffer = JitterBuffer(RATE, prebuffer_ms=0, max_ms=60_000)
    mixer = ThreadedMixer(0)  # driven by hand
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=BLOCK * horizon_blocks)
    buffer.downstream = _Downstream(feed)
    buffer.push(_numbered(BLOCK * 6))
    mixer.callback()  # one block played
    return buffer, mixer, feed


def test_pausing_again_before_the_first_pause_settled_loses_nothing():
    buffer, mixer, feed = _paused_room()
    buffer.hold(True)
    buffer.hold(False)
    buffer.hold(True)  # the callback has not taken the first cancel yet
    mixer.callback()
    feed.feed()
    assert buffer.buffered_ms == pytest.approx(50) and buffer.played_samples == BLOCK
    buffer.hold(False)
    for _ in range(8):
        mixer.callback()
        feed.feed()
    assert _as_int16(mixer.played).tolist() == _numbered(BLOCK * 6).tolist()


def test_a_flush_before_the_pause_settled_counts_the_withdrawn_audio_as_dropped_not_heard():
    buffer, mixer, feed = _paused_room()
    buffer.hold(True)
    buffer.clear()  # the pause became an interruption
    mixer.callback()
    feed.feed()
    assert buffer.played_samples == BLOCK  # what the truncate says was heard: one block, not four
    assert buffer.dropped_samples == BLOCK * 5
    assert buffer.buffered_ms == 0 and feed.ring.queued == 0


def test_a_pause_with_nothing_in_the_ring_settles_at_once():
    buffer = JitterBuffer(RATE, prebuffer_ms=0, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=BLOCK * 4)
    buffer.downstream = _Downstream(feed)
    buffer.hold(True)
    buffer.hold(False)
    buffer.push(_numbered(BLOCK))
    assert feed.ring.queued == BLOCK


def test_a_device_that_never_lets_go_of_a_paused_ring_does_not_stop_the_feed(monkeypatch):
    import therapy_desktop.audio.speaker_ring as speaker_ring

    monkeypatch.setattr(speaker_ring, "SETTLE_TIMEOUT", 0.0)
    buffer, mixer, feed = _paused_room()
    buffer.hold(True)  # ... and the callback never runs again
    buffer.hold(False)
    feed.feed()
    assert feed.ring.queued == BLOCK * 2  # the rest of the queue goes to a fresh ring
    assert buffer.played_samples == BLOCK * 6  # the stuck ring's audio cannot be known unplayed: counted


def test_a_ring_that_ran_dry_just_before_a_pause_is_still_counted_as_having_run_dry():
    buffer = JitterBuffer(RATE, prebuffer_ms=30, max_ms=60_000)
    mixer = ThreadedMixer(0)
    feed = RingFeed(SpeakerRing(mixer, rtmixer.RingBuffer), buffer, RATE, 0.02, horizon=RATE)
    buffer.downstream = _Downstream(feed)
    buffer.push(_numbered(BLOCK * 3))
    for _ in range(4):
        mixer.callback()  # three blocks, then an empty one ends the action
    buffer.hold(True)  # before any feed saw it end
    assert feed.gaps == 1 and buffer.underruns == 1
    buffer.hold(False)
    buffer.push(_numbered(BLOCK, BLOCK * 3))  # 10 ms: under the prebuffer, so it waits as after any run-dry
    assert feed.ring.queued == 0
