"""The hand-over from the loop to the speaker without the interpreter on the device's thread.

PortAudio calls an output callback every block; a callback in Python needs the GIL, and whenever
another thread held it a little too long the device played a gap (an underflow). Here the callback
is rtmixer's, in C: it copies from a lock-free single-producer single-consumer ring
(PortAudio's pa_ringbuffer) and never waits. The loop is the only producer.

rtmixer ends a "play this ring" action when the ring has less than a block left (it plays what
there is); the next write starts a new one. So the ring running dry is a gap in the therapist's
audio (the jitter buffer's to handle), never a device underflow.
"""

from __future__ import annotations

import collections
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from therapy_desktop.audio.echo_canceller import FarEndTap
    from therapy_desktop.audio.jitter_buffer import JitterBuffer

log = logging.getLogger(__name__)

GAP_WINDOW = 0.05  # s: the ring ran out this soon after sound had been playing
# A withdrawn ring's callback takes the cancel within a block (20 ms). One that has not after this
# long has stopped (the device watch will say so): the feed goes on rather than wait on it.
SETTLE_TIMEOUT = 0.2
# What the ring keeps for itself before its level counts as backlog: rtmixer ends a play action
# when less than a device block is left, and the next frame may come a little late. Counting all
# of it (shed down to the jitter buffer's 30 ms prebuffer) ran the ring dry 2-4 times a run.
RESERVE_S = 0.03
CAPACITY = 1 << 14  # samples (pa_ringbuffer wants a power of two): 341 ms at 48 kHz, > any horizon
_SCALE = np.float32(1 / 32768)


class SpeakerRing:
    """Writes int16 audio into the ring rtmixer's `mixer` plays, (re)starting its play action."""

    def __init__(self, mixer: Any, ring_factory: Any) -> None:
        self._mixer = mixer
        self._new_ring = ring_factory  # rtmixer.RingBuffer (or a stand-in in tests)
        self._ring = self._new_ring(4, CAPACITY)  # float32 mono elements
        self._action: Any = None
        self._withdrawn: tuple[Any, Any] | None = None  # (ring, its cancelled action) after `withdraw`

    @property
    def queued(self) -> int:
        """Samples written and not yet taken by the device's callback."""
        return int(self._ring.read_available)

    @property
    def room(self) -> int:
        return int(self._ring.write_available)

    def write(self, pcm: np.ndarray) -> int:
        """Queue `pcm` (int16) behind what is there; returns how many samples fitted (callers
        write no more than `room`)."""
        written = int(self._ring.write(np.multiply(pcm, _SCALE, dtype=np.float32)))
        if written and not self._playing():
            self._action = self._mixer.play_ringbuffer(self._ring)
        return written

    def ended(self) -> bool:
        """True once after a play action ended by itself (everything written has been played)."""
        if self._action is None or self._playing():
            return False
        self._action = None
        return True

    def flush(self) -> None:
        """Drop what is queued: the action is cancelled (the callback takes it within a block) and
        a fresh ring takes the place of the old, which the cancelled action may still be reading
        (only the consumer may move a ring's read index)."""
        if self._action is not None:
            if self._playing():
                self._mixer.cancel(self._action)
            self._action = None
        self._ring = self._new_ring(4, CAPACITY)

    def withdraw(self) -> None:
        """Stop playing what is queued, to give it back: like `flush`, but the old ring is kept until
        the callback lets go of it, when `withdrawn_left` can say exactly how much never played."""
        action, ring = self._action, self._ring
        self.flush()
        self._withdrawn = (ring, action)

    def forget_withdrawn(self) -> None:
        self._withdrawn = None

    def withdrawn_left(self) -> int | None:
        """Samples of the withdrawn ring that never played, once the callback has let go of it (None
        until then, or when nothing is withdrawn); told once."""
        if self._withdrawn is None:
            return None
        ring, action = self._withdrawn
        if action is not None and action in self._mixer.actions:
            return None  # the callback takes the cancel within a block
        self._withdrawn = None
        return int(ring.read_available)

    def _playing(self) -> bool:
        return self._action in self._mixer.actions


@dataclass
class _Withdrawal:
    written: np.ndarray  # what had been written to the withdrawn ring (its tail is what never played)
    at: float  # time.monotonic() of the pause
    give_back: bool = True  # False once flushed: what never played is counted as dropped, not heard


class RingFeed:
    """Keeps the ring fed from the jitter buffer, on the loop (its only producer): no more than
    `horizon` samples ahead, the rest left to the jitter buffer's policy (prebuffer, hold, drops)."""

    def __init__(self, ring: SpeakerRing, buffer: JitterBuffer, rate: int, device_latency: float,
                 horizon: int) -> None:
        self.ring, self.buffer, self.rate = ring, buffer, rate
        self.device_latency = device_latency
        self.horizon = horizon
        self.reference: FarEndTap | None = None  # told every block queued: the echo canceller's far end
        self.gaps = 0  # times the ring ran dry with speech still playing: an audible gap
        # What was written to the current ring (its last CAPACITY samples): what a pause gives back.
        self._in_ring: collections.deque[np.ndarray] = collections.deque()
        self._in_ring_size = 0
        self._withdrawal: _Withdrawal | None = None  # a pause's, until the callback has let go of the ring

    @property
    def latency(self) -> float:
        """Seconds from handing audio over to hearing it: what the ring holds plus the device."""
        return self.device_latency + self.ring.queued / self.rate

    def flush(self) -> None:
        """Drop what is queued (barge-in), and tell the echo canceller that it will not sound. A
        pause's withdrawal still settles, as dropped: what of it never played was not heard."""
        self.ring.flush()
        if self._withdrawal is not None:
            self._withdrawal.give_back = False
        self._forget_written()
        self._tell_reference_cut()

    def pause(self) -> None:
        """The jitter buffer was held: what the ring holds stops too, and goes back to the jitter
        buffer once the device's callback has let go of it (`feed`), so a resumed reply loses nothing."""
        if self._withdrawal is not None:
            return  # paused again before the last one settled: nothing has been written since
        self._note_ended()
        self._withdrawal = _Withdrawal(self._written(), time.monotonic())
        self.ring.withdraw()
        self._forget_written()
        self._tell_reference_cut()

    def _tell_reference_cut(self) -> None:
        if self.reference is not None:
            self.reference.offer(np.zeros(0, dtype=np.int16), self.rate, time.monotonic() + self.device_latency)

    def _written(self) -> np.ndarray:
        return np.concatenate(self._in_ring) if self._in_ring else np.zeros(0, dtype=np.int16)

    def _forget_written(self) -> None:
        self._in_ring.clear()
        self._in_ring_size = 0

    def _remember_written(self, pcm: np.ndarray) -> None:
        self._in_ring.append(pcm)
        self._in_ring_size += len(pcm)
        while self._in_ring_size - len(self._in_ring[0]) >= CAPACITY:  # more than the ring can hold
            self._in_ring_size -= len(self._in_ring.popleft())

    def _settle_withdrawal(self) -> bool:
        """True once what a pause withdrew is back in the jitter buffer (or there was none)."""
        withdrawal = self._withdrawal
        if withdrawal is None:
            return True
        left = self.ring.withdrawn_left()
        if left is None:
            if time.monotonic() - withdrawal.at < SETTLE_TIMEOUT:
                return False
            log.warning("speaker: the device did not let go of a paused ring; its audio is dropped")
            self.ring.forget_withdrawn()
            left = 0  # not known: counted as played
        self._withdrawal = None
        unplayed = withdrawal.written[len(withdrawal.written) - min(left, len(withdrawal.written)) :]
        if withdrawal.give_back:
            self.buffer.give_back(unplayed)
        else:
            self.buffer.forget_played(len(unplayed))
        return True

    def _note_ended(self) -> None:
        if self.ring.ended():
            # Between replies the stream may pause (a sender's DTX sends a packet every 400 ms):
            # the ring empties after silence, which no one hears. Cut off mid-sound, it is a gap.
            cut = self.buffer.audible_within(GAP_WINDOW)
            self.gaps += cut
            self.buffer.ran_dry(counted=cut)

    def feed(self) -> None:
        if not self._settle_withdrawal():
            return  # nothing new goes in before the withdrawn audio is back in its place
        self._note_ended()
        queued = self.ring.queued
        room = min(self.ring.room, self.horizon - queued)
        if room <= 0:
            return
        ahead = self.device_latency + queued / self.rate
        pcm = self.buffer.drain(room, ahead, max(0, queued - int(self.rate * RESERVE_S)))
        if pcm.size:
            written = self.ring.write(pcm)
            self._remember_written(pcm[:written])
            if self.reference is not None:
                self.reference.offer(pcm, self.rate, time.monotonic() + ahead)
