"""aiortc's audio decoding, moved onto the loop.

aiortc decodes on a thread of its own: every 20 ms packet is put on a `queue.Queue`, wakes that
thread, and comes back as a coroutine scheduled with `run_coroutine_threadsafe` (a future, a wake-up
of the loop through its self-pipe, a task). Decoding one Opus frame takes a fraction of a
millisecond, less than that round trip (measured in benchmarks/). The receiver takes its decoder
queue from an attribute aiortc has no option for, so it is replaced on the receiver right after
the transceiver exists, before `receive()` starts the thread; the thread then only waits for the
end, as before, and tells the track. (tests/realtime/test_inline_decoder.py fails if aiortc moves it.)
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import av
from aiortc import RTCPeerConnection
from aiortc.codecs import get_decoder

log = logging.getLogger(__name__)

_ATTRIBUTE = "_RTCRtpReceiver__decoder_queue"


class InlineDecoderQueue:
    """What aiortc's receiver and its decoder thread see as their `queue.Queue`: `put` (on the
    loop) decodes at once into the track's queue; `get` (on the thread) returns only the end."""

    def __init__(self, receiver: Any) -> None:
        self._receiver = receiver  # its track exists once the remote description is set, before any packet
        self._codec_name: str | None = None
        self._decoder: Any = None
        self._ended = threading.Event()
        self.decoded = 0
        self.failed = 0

    def put(self, task: tuple[Any, Any] | None) -> None:
        if task is None:
            self._ended.set()
            return
        codec, encoded_frame = task
        if codec.name != self._codec_name:
            self._decoder, self._codec_name = get_decoder(codec), codec.name
        try:
            frames = self._decoder.decode(encoded_frame)
        except av.FFmpegError as exc:  # keep the decoder's state, as aiortc does: the next frame decodes
            self.failed += 1
            log.warning("could not decode a %s frame: %s", codec.name, exc)
            return
        track_queue = self._receiver.track._queue  # the RemoteStreamTrack's asyncio.Queue, read on the loop
        for frame in frames:
            track_queue.put_nowait(frame)
            self.decoded += 1

    def get(self) -> None:
        self._ended.wait()
        return None


def decode_audio_on_the_loop(pc: RTCPeerConnection) -> None:
    for transceiver in pc.getTransceivers():
        receiver = transceiver.receiver
        if transceiver.kind != "audio":
            continue
        if not hasattr(receiver, _ATTRIBUTE):  # aiortc changed: keep its thread, say so once
            log.warning("aiortc's decoder queue is not where expected; decoding on its thread as before")
            return
        setattr(receiver, _ATTRIBUTE, InlineDecoderQueue(receiver))
