"""aiortc's receive jitter buffer, replaced for speech.

aiortc's buffer is built for video: it knows a frame is complete only when a packet of the next
frame arrives, and then holds `prefetch` frames (4 for audio: 80 ms) before handing one to the
decoder. An Opus packet is a whole 20 ms frame, so `OpusPacketOrder` hands each one on as it
arrives — in order, a late or repeated packet dropped (the decoder conceals a missing one) — and
the app's own jitter buffer after the decoder absorbs the network's jitter, once. 60 ms less than
aiortc's default, 40 less than its shortest setting (measured in benchmarks/). aiortc has no option
for it, so the buffer is replaced on the receiver right after the transceiver exists, before any
packet; both the app and the Demo engine receive speech through it.
"""

from __future__ import annotations

import logging
from typing import Any

from aiortc import RTCPeerConnection
from aiortc.jitterbuffer import JitterFrame

log = logging.getLogger(__name__)

_ATTRIBUTE = "_RTCRtpReceiver__jitter_buffer"
_HALF = 1 << 15  # sequence numbers are 16 bits: "ahead" is anything up to half the circle
RESTART = 100  # so far behind it is a restarted stream, not a late packet (aiortc's MAX_MISORDER)


class OpusPacketOrder:
    """The receiver's `add(packet) -> (picture loss, frame or None)`, for audio only."""

    def __init__(self) -> None:
        self._last: int | None = None  # the sequence number last handed on
        self.late = 0  # packets dropped because a later one had been handed on
        self.repeated = 0

    def add(self, packet: Any) -> tuple[bool, JitterFrame | None]:
        sequence = int(packet.sequence_number)
        if self._last is not None:
            ahead = (sequence - self._last) & 0xFFFF
            if ahead == 0:
                self.repeated += 1
                return False, None
            if ahead >= _HALF and (self._last - sequence) & 0xFFFF < RESTART:
                self.late += 1
                return False, None
        self._last = sequence
        return False, JitterFrame(data=packet._data, timestamp=packet.timestamp)


def shorten_audio_receive_buffers(pc: RTCPeerConnection) -> None:
    for transceiver in pc.getTransceivers():
        receiver = transceiver.receiver
        if transceiver.kind != "audio":
            continue
        if not hasattr(receiver, _ATTRIBUTE):  # aiortc changed: keep its default, say so once
            log.warning("aiortc's receive buffer is not where expected; keeping its default delay")
            return
        setattr(receiver, _ATTRIBUTE, OpusPacketOrder())
