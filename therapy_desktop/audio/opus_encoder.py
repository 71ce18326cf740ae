"""The microphone's Opus encoder, run inline on the loop.

aiortc encodes every frame a track returns on a thread pool (`run_in_executor`), one thread hop
and wake-up per 20 ms; and its encoder upmixes our mono to stereo at 96 kb/s. A track that returns
encoded packets skips both (aiortc only packetises them): mono at 64 kb/s encodes in about a ninth
of the time (0.16 vs 1.5 ms a frame here) and never leaves the loop. Below 64 kb/s libopus's "voip"
mode codes silence as ±1 of noise, so the far end never sees digital silence (the Demo engine skips
work on it); at 64 it is exact zeros, and the encoder is cheaper still.
"""

from __future__ import annotations

import collections

import av

from therapy_desktop.audio.pcm import SAMPLE_RATE, TIME_BASE

BIT_RATE = 64_000


class OpusFrameEncoder:
    """20 ms mono s16 frames in, one Opus packet per frame out (after the encoder's first)."""

    def __init__(self, bit_rate: int = BIT_RATE) -> None:
        self._codec = av.CodecContext.create("libopus", "w")
        self._codec.bit_rate = bit_rate
        self._codec.format = "s16"
        self._codec.layout = "mono"
        self._codec.sample_rate = SAMPLE_RATE
        self._codec.time_base = TIME_BASE
        self._codec.options = {"application": "voip"}
        self._first_pts: int | None = None
        self._ready: collections.deque[av.Packet] = collections.deque()

    def encode(self, frame: av.AudioFrame) -> av.Packet | None:
        """The next packet, its pts counted from 0 like the frames' (libopus starts at minus its
        look-ahead); None if the encoder has none yet. Packets come out in order, none dropped."""
        for packet in self._codec.encode(frame):
            if self._first_pts is None:
                self._first_pts = packet.pts
            packet.pts -= self._first_pts
            packet.time_base = TIME_BASE
            self._ready.append(packet)
        return self._ready.popleft() if self._ready else None
