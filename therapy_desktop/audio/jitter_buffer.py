"""The hand-over between the loop, which receives the therapist's audio, and the output device,
which plays it from its own thread."""

from __future__ import annotations

import threading
import time
from typing import Protocol

import numpy as np

from therapy_desktop.audio.backlog import StandingBacklog
from therapy_desktop.audio.sample_queue import SampleQueue

AUDIBLE_RMS = 200.0  # int16 RMS above which a block counts as sound (about -44 dBFS)


class Downstream(Protocol):
    """A speaker with a queue of its own, told when audio arrives and when it must drop its queue."""

    def pushed(self) -> None: ...

    def held(self) -> None: ...

    def cleared(self) -> None: ...


class JitterBuffer:
    """A thread-safe FIFO of mono int16 samples.

    It waits for `prebuffer_ms` before playing after it ran dry, so network jitter does not
    become clicks. It drops the oldest audio when more than `max_ms` piles up, and, in the
    silence between replies, the standing backlog a burst left behind, so the therapist is
    never later than the jitter needs.
    """

    HOLD_MAX_MS = 3000

    def __init__(self, rate: int, prebuffer_ms: int = 30, max_ms: int = 250) -> None:
        self.rate = rate
        self._prebuffer = rate * prebuffer_ms // 1000
        self._max = rate * max_ms // 1000
        self._queue = SampleQueue()
        self._backlog = StandingBacklog(keep=self._prebuffer)
        self._playing = False
        self._lock = threading.Lock()
        self.last_audible = 0.0  # time.monotonic() of the last sound handed to the device (or when it will play)
        # Stream positions in samples: what came in, what went out (played or dropped), and where
        # the last sound that came in ends. The remote track carries silence between replies, so
        # "something is buffered" does not mean "the therapist is still talking".
        self._pushed = 0
        self._consumed = 0
        self._audible_end = 0
        self.dropped_samples = 0
        self.underruns = 0
        self.played_samples = 0  # handed to the device as the therapist's audio (drops excluded)
        # Held: the device gets silence while the queue is kept (a possible barge-in being
        # confirmed); up to HOLD_MAX_MS piles up so a cough can resume where it paused.
        self.held = False
        self._hold_max = rate * self.HOLD_MAX_MS // 1000
        self._draining_hold = False
        self.downstream: Downstream | None = None  # set by a speaker that drains rather than pulls

    def push(self, pcm: np.ndarray) -> None:
        if pcm.size == 0:
            return
        audible = _is_audible(pcm)
        with self._lock:
            self._queue.push(pcm)
            self._pushed += len(pcm)
            if audible:
                self._audible_end = self._pushed
            if self._draining_hold and self._queue.size <= self._max:
                self._draining_hold = False
            if self.held or self._draining_hold:  # what was held plays late rather than skip words
                if self._queue.size > self._hold_max:
                    self._drop_locked(self._queue.size - self._hold_max)
            elif self._queue.size > self._max:
                self._drop_locked(self._queue.size - self._prebuffer)
        if self.downstream is not None:
            self.downstream.pushed()

    def pull(self, samples: int) -> np.ndarray:
        """Exactly `samples` samples: audio when there is some, zeros otherwise (a device or file
        that plays in real time and must be handed a whole block)."""
        out = np.zeros(samples, dtype=np.int16)
        with self._lock:
            filled = self._take_locked(out)
            if filled < samples and self._playing and not self.held:
                self._playing = False  # ran dry: prebuffer again before playing
                if filled:
                    self.underruns += 1
        self._note_audible(out[:filled], 0.0)
        return out

    def drain(self, limit: int, ahead: float, queued_downstream: int = 0) -> np.ndarray:
        """Up to `limit` samples of queued audio, never padded: for a speaker that keeps its own
        queue (`devices.DeviceSpeaker`'s ring), whose device plays what it drains `ahead` seconds
        from now. Running dry is the speaker's to say (`ran_dry`), since its queue may still play.
        `queued_downstream`: samples still in the speaker's queue. A burst parks its backlog
        there, where this buffer's standing-backlog watch would not see it; counted, it is shed
        from here in the next quiet moment as if it were queued here."""
        out = np.empty(min(limit, self._queue.size), dtype=np.int16)
        with self._lock:
            filled = self._take_locked(out, queued_downstream)
        self._note_audible(out[:filled], ahead + filled / self.rate)
        return out[:filled]

    def ran_dry(self, counted: bool = True) -> None:
        """The speaker played everything it was given: wait for the prebuffer before playing on.
        `counted`: it ran out while sound was playing (an underrun), not in a pause."""
        with self._lock:
            if self._playing:
                self._playing = False
                self.underruns += counted

    def _take_locked(self, out: np.ndarray, queued_downstream: int = 0) -> int:
        if self.held or not len(out):
            return 0
        if not self._playing:
            if self._queue.size < self._prebuffer:
                return 0
            self._playing = True
        self._backlog.observe(self._queue.size + queued_downstream)
        if self._backlog.excess and self._audible_end <= self._consumed:  # nothing audible queued
            self._drop_locked(self._backlog.take())
        filled = self._queue.take_into(out)
        self._consumed += filled
        self.played_samples += filled
        return filled

    def _note_audible(self, pcm: np.ndarray, later: float) -> None:
        if pcm.size and _is_audible(pcm):
            # A speaker with a queue of its own plays it `later` (drain: when its last sample plays).
            self.last_audible = time.monotonic() + later

    def hold(self, held: bool) -> None:
        """Pause (True) or resume (False) what the device gets, keeping the queue. A speaker with a
        queue of its own is told too: it stops playing its queue and gives back what never played
        (`give_back`), so a pause is heard after the device's own buffer, not after its queue too."""
        with self._lock:
            resumed = self.held and not held
            paused = held and not self.held
            if resumed:
                self._draining_hold = True
            self.held = held
        if self.downstream is not None:
            if resumed:
                self.downstream.pushed()
            elif paused:
                self.downstream.held()

    def forget_played(self, samples: int) -> None:
        """Samples counted as played that never were (drained for the speaker, then dropped there)."""
        with self._lock:
            self.played_samples -= samples
            self.dropped_samples += samples

    def give_back(self, pcm: np.ndarray) -> None:
        """Audio drained for the speaker that never played: back at the front, not counted as played."""
        if not pcm.size:
            return
        with self._lock:
            self._queue.push_front(pcm)
            self._consumed -= len(pcm)
            self.played_samples -= len(pcm)

    def clear(self) -> None:
        """Drop everything not yet played (barge-in)."""
        with self._lock:
            self._drop_locked(self._queue.size)
        if self.downstream is not None:
            self.downstream.cleared()

    def _drop_locked(self, samples: int) -> None:
        dropped = self._queue.drop(samples)
        self._consumed += dropped
        self.dropped_samples += dropped

    @property
    def buffered_ms(self) -> float:
        return self._queue.size * 1000 / self.rate

    @property
    def sound_pending(self) -> bool:
        """Sound has been received that the device has not played yet."""
        return self._audible_end > self._consumed

    def audible_within(self, seconds: float) -> bool:
        """Whether sound was handed to the device in the last `seconds`."""
        return time.monotonic() - self.last_audible < seconds


def _is_audible(pcm: np.ndarray) -> bool:
    if not pcm.size:
        return False
    samples = pcm.astype(np.float32)
    return float(np.dot(samples, samples)) > AUDIBLE_RMS * AUDIBLE_RMS * pcm.size  # RMS, without a temporary square
