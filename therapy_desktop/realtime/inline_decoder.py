"""aiortc's audio decoding, moved onto the loop (the app's receiver and the Demo engine's).

aiortc decodes on a thread of its own: every 20 ms packet is put on a `queue.Queue`, wakes that
thread, and comes back as a coroutine scheduled with `run_coroutine_threadsafe` (a future, a wake-up
of the loop through its self-pipe, a task). Decoding one Opus frame takes tens of microseconds,
far less than that round trip (benchmarks/). The receiver takes its decoder queue from an attribute
aiortc has no option for, so it is replaced on the receiver right after the transceiver exists,
before `receive()` starts the thread; the thread then only waits for the end, as before, and ends
the track. (tests/realtime/test_inline_decoder.py fails if aiortc moves it.)

A silent microphone sends the same packet again and again. Once it has decoded to digital zeros
`SETTLED_REPEATS` times in a row, the decoder is at a fixed point and the next copy would decode to
the same zeros: the frame already decoded is handed on again (its timestamp updated) instead, and
the first different packet is decoded as usual.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

import av
from aiortc import RTCPeerConnection
from aiortc.codecs import get_decoder

log = logging.getLogger(__name__)

SETTLED_REPEATS = 25  # identical packets decoded to zeros before copies are no longer decoded (0.5 s)
_ATTRIBUTE = "_RTCRtpReceiver__decoder_queue"


class InlineDecoderQueue:
    """What aiortc's receiver and its decoder thread see as their `queue.Queue`: `put` (on the
    loop) decodes at once into the track's queue; `get` (on the thread) returns only the end."""

    def __init__(self, track_queue: Callable[[], asyncio.Queue[Any]]) -> None:
        # The remote track's queue, read on the loop; the track exists only once the remote
        # description is set, which is after this is installed and before any packet.
        self._track_queue = track_queue
        self._decoder: Any = None
        self._codec_name: str | None = None
        self._ended = threading.Event()
        self._silent: av.AudioFrame | None = None  # the last frame, when it was digital silence
        self._silent_payload = b""
        self._repeats = 0  # the silent payload decoded to zeros this many times in a row
        self.decoded = 0
        self.repeated = 0  # silent frames handed on again without decoding
        self.failed = 0

    def put(self, task: tuple[Any, Any] | None) -> None:
        if task is None:  # aiortc stops the receiver: its thread ends the track
            self._ended.set()
            return
        codec, encoded = task
        output = self._track_queue()
        data = bytes(encoded.data)
        if self._silent is not None and self._repeats >= SETTLED_REPEATS and data == self._silent_payload:
            self.repeated += 1
            self._silent.pts = encoded.timestamp
            output.put_nowait(self._silent)
            return
        if codec.name != self._codec_name:
            self._decoder, self._codec_name = get_decoder(codec), codec.name
        try:
            frames = self._decoder.decode(encoded)
        except av.FFmpegError as exc:  # as aiortc's thread: keep the decoder's state, skip the frame
            self.failed += 1
            log.warning("could not decode a %s frame: %s", codec.name, exc)
            self._silent, self._repeats = None, 0
            return
        self.decoded += 1
        self._note(data, frames)
        for frame in frames:
            output.put_nowait(frame)

    def get(self) -> None:
        """aiortc's decoder thread waits here until the receiver stops, then ends the track."""
        self._ended.wait()

    def _note(self, data: bytes, frames: list[Any]) -> None:
        if len(frames) == 1 and isinstance(frames[0], av.AudioFrame) and not frames[0].to_ndarray().any():
            same = self._silent is not None and data == self._silent_payload
            self._repeats = self._repeats + 1 if same else 1
            self._silent, self._silent_payload = frames[0], data
        else:
            self._silent, self._repeats = None, 0


def decode_audio_on_the_loop(pc: RTCPeerConnection) -> list[InlineDecoderQueue]:
    """Replace the decoder queue of each audio receiver of `pc`, right after its transceivers
    exist. Where aiortc has changed, keep its thread and say so."""
    installed = []
    for transceiver in pc.getTransceivers():
        receiver = transceiver.receiver
        if transceiver.kind != "audio":
            continue
        if not hasattr(receiver, _ATTRIBUTE):
            log.warning("aiortc's decoder queue is not where expected; decoding on its thread as before")
            return installed
        decoding = InlineDecoderQueue(lambda receiver=receiver: receiver.track._queue)
        setattr(receiver, _ATTRIBUTE, decoding)
        installed.append(decoding)
    return installed
