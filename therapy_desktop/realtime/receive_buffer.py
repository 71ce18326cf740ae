"""aiortc's receive jitter buffer, shortened for speech.

aiortc holds 4 audio packets (80 ms) before it hands one to the decoder. An Opus packet is a
whole 20 ms frame, so 2 packets still absorb one packet arriving out of order, and the 40 ms
saved go straight off the reply latency (measured in benchmarks/). The app's own jitter buffer
after the decoder absorbs the rest of the network's jitter. aiortc has no option for it, so the
buffer is replaced on the receiver right after the transceiver exists, before any packet.
"""

from __future__ import annotations

import logging

from aiortc import RTCPeerConnection
from aiortc.jitterbuffer import JitterBuffer

log = logging.getLogger(__name__)

AUDIO_PREFETCH = 2
_ATTRIBUTE = "_RTCRtpReceiver__jitter_buffer"


def shorten_audio_receive_buffers(pc: RTCPeerConnection, prefetch: int = AUDIO_PREFETCH) -> None:
    for transceiver in pc.getTransceivers():
        receiver = transceiver.receiver
        if transceiver.kind != "audio":
            continue
        if not hasattr(receiver, _ATTRIBUTE):  # aiortc changed: keep its default, say so once
            log.warning("aiortc's receive buffer is not where expected; keeping its default delay")
            return
        setattr(receiver, _ATTRIBUTE, JitterBuffer(capacity=16, prefetch=prefetch))
