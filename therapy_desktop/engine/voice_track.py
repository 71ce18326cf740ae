"""The therapist's voice as an outgoing aiortc track: queued speech, paced 20 ms frames,
silence in between, and a way to wait until a given sample has actually been sent.

The track hands aiortc Opus packets it encoded itself: while it speaks, with aiortc's own
encoder; in silence, one packet of encoded silence reused. A call is silent most of the time, and
encoding 50 frames of nothing a second (a thread hop, a resampler, an encoder and an audio-level
pass each) was most of what an idle engine spent.

In a long silence it sends as an Opus DTX sender does (RFC 7587 §3.1.3, libopus's 400 ms
cadence): one silence packet every `IDLE_REFRESH_FRAMES` frames, the frames in between not sent
at all, their time kept in the RTP timestamps. Sending, protecting and packetizing 50 packets a
second of nothing was, after the encoding went, the largest part of an idle engine's CPU. The
far end still hears from the track every 400 ms (the client's watchdog counts on audio), and
speech queued during a gap goes out at once with the frame due then.
"""

from __future__ import annotations

import asyncio
import fractions

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.codecs.opus import OpusEncoder
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, frame_from_pcm
from therapy_desktop.audio.sample_queue import SampleQueue
from therapy_desktop.engine.frame_clock import FrameClock

# Silent frames still run through the encoder after speech, so its state settles to silence
# before the reused silence packet takes over (no click at either edge).
ENCODED_TAIL_FRAMES = 10
# In a long silence, one packet per this many frames (20: every 400 ms, as Opus DTX); None sends
# every frame (a continuous stream of silence packets).
IDLE_REFRESH_FRAMES: int | None = 20
_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)


class VoiceTrack(MediaStreamTrack):
    """Positions count speech samples only: `enqueue` returns where a chunk starts and
    `wait_sent(position)` returns once the frames up to there went out on the wire."""

    kind = "audio"

    def __init__(self, *, idle_refresh_frames: int | None = IDLE_REFRESH_FRAMES) -> None:
        super().__init__()
        if idle_refresh_frames is not None and idle_refresh_frames < 1:
            raise ValueError(f"idle_refresh_frames must be at least 1 (or None), not {idle_refresh_frames}")
        self._refresh = idle_refresh_frames
        self._queue = SampleQueue()
        self.enqueued = 0
        self.sent = 0
        self.cleared_at = 0  # `sent` when the queue was last cleared: where cut speech ended
        self._waiters: list[tuple[int, asyncio.Future[bool]]] = []
        self._clock = FrameClock(max_burst=5)
        self._speech = asyncio.Event()  # set by enqueue: ends a gap in a silence at once
        self._last_index = -1  # the frame last sent
        self.packets = 0  # packets handed to aiortc (diagnostics, tests)
        self._encoder = OpusEncoder()
        self._silence = _silence_payload()
        self._quiet_frames = ENCODED_TAIL_FRAMES  # frames of silence sent since the last speech

    def enqueue(self, pcm: np.ndarray) -> int:
        start = self.enqueued
        self._queue.push(pcm)
        self.enqueued += len(pcm)
        if len(pcm):
            self._speech.set()
        return start

    @property
    def pending_samples(self) -> int:
        return self.enqueued - self.sent

    async def wait_sent(self, position: int) -> bool:
        """True once `position` has been sent; False if the queue was cleared before."""
        if self.sent >= position:
            return True
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiters.append((position, future))
        return await future

    def clear(self) -> None:
        """Drop queued speech (barge-in); waiters learn it was not sent."""
        self._queue.clear()
        self.enqueued = self.cleared_at = self.sent
        for _, future in self._waiters:
            if not future.done():
                future.set_result(False)
        self._waiters.clear()

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        if self._refresh is not None and self._quiet_frames > ENCODED_TAIL_FRAMES and not self._queue.size:
            # A long silence: the next packet is the refresh, unless speech is queued before it.
            self._speech.clear()
            await self._clock.skip_until(self._last_index + self._refresh, self._speech)
        index = self._last_index = await self._clock.next_frame()
        out = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        taken = self._queue.take_into(out)
        self.sent += taken
        self._quiet_frames = 0 if taken else self._quiet_frames + 1
        if self._waiters:
            still = []
            for position, future in self._waiters:
                if self.sent >= position:
                    if not future.done():
                        future.set_result(True)
                else:
                    still.append((position, future))
            self._waiters = still
        payload = self._silence
        if self._quiet_frames <= ENCODED_TAIL_FRAMES:
            payloads, _ = self._encoder.encode(frame_from_pcm(out, pts=index * FRAME_SAMPLES))
            payload = payloads[0] if payloads else self._silence  # the encoder may hold the very first frame
        self.packets += 1
        packet = av.Packet(payload)
        packet.pts, packet.time_base = index * FRAME_SAMPLES, _TIME_BASE  # RTP timestamps from our own count
        return packet


def _silence_payload() -> bytes:
    """One 20 ms Opus packet of digital silence, from the same encoder settings as speech."""
    encoder = OpusEncoder()
    payload = b""
    for index in range(5):  # past the encoder's look-ahead
        payloads, _ = encoder.encode(frame_from_pcm(np.zeros(FRAME_SAMPLES, dtype=np.int16), pts=index * FRAME_SAMPLES))
        payload = payloads[0] if payloads else payload
    return payload
