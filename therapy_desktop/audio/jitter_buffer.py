"""The hand-over between the loop, which receives the therapist's audio, and the output device,
which plays it from its own thread."""

from __future__ import annotations

import threading
import time

import numpy as np

from therapy_desktop.audio.backlog import StandingBacklog
from therapy_desktop.audio.sample_queue import SampleQueue

AUDIBLE_RMS = 200.0  # int16 RMS above which a block counts as sound (about -44 dBFS)


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
        self.last_audible = 0.0  # time.monotonic() of the last block with sound handed to the device
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

    def pull(self, samples: int) -> np.ndarray:
        """Exactly `samples` samples: audio when there is some, zeros otherwise."""
        out = np.zeros(samples, dtype=np.int16)
        with self._lock:
            if self.held:
                return out
            if not self._playing:
                if self._queue.size < self._prebuffer:
                    return out
                self._playing = True
            self._backlog.observe(self._queue.size)
            if self._backlog.excess and self._audible_end <= self._consumed:  # nothing audible queued
                self._drop_locked(self._backlog.take())
            filled = self._queue.take_into(out)
            self._consumed += filled
            self.played_samples += filled
            if filled < samples:
                self._playing = False
                if filled:
                    self.underruns += 1
        if filled and _is_audible(out[:filled]):
            self.last_audible = time.monotonic()
        return out

    def hold(self, held: bool) -> None:
        """Pause (True) or resume (False) what the device gets, keeping the queue."""
        with self._lock:
            if self.held and not held:
                self._draining_hold = True
            self.held = held

    def clear(self) -> None:
        """Drop everything not yet played (barge-in)."""
        with self._lock:
            self._drop_locked(self._queue.size)

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
    return bool(pcm.size) and float(np.sqrt(np.mean(np.square(pcm.astype(np.float32))))) > AUDIBLE_RMS
