"""The caller's voice decoded on the event loop, not on aiortc's decoder thread.

aiortc decodes every received frame on a thread of its own and hands each one back to the loop
with `run_coroutine_threadsafe`: a queue, a wake-up of the loop through its self-pipe and a new
task, 50 times a second, even when the caller says nothing. That hand-over, not the decoding (an
Opus frame takes tens of microseconds), was a quarter of what an idle engine spent. So the
receiver's decoder queue is replaced by this object: `put` decodes at once on the loop and hands
the frames to the track. aiortc's thread still starts and waits on `get`, which returns only
when aiortc stops the receiver, so its own ending (the track's end of stream) is unchanged.

A silent microphone sends the same packet again and again. Once it has decoded to digital zeros
`SETTLED_REPEATS` times in a row, the decoder is at a fixed point and the next copy would decode
to the same zeros: the frame already decoded is handed on again instead (the same object, its
timestamp updated), and the first different packet is decoded as usual.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import av
from aiortc import RTCPeerConnection
from aiortc.codecs import get_decoder

log = logging.getLogger(__name__)

SETTLED_REPEATS = 25  # identical packets decoded to zeros before copies are no longer decoded (0.5 s)
_QUEUE = "_RTCRtpReceiver__decoder_queue"


class InlineDecoding:
    """Stands in for `queue.Queue` where aiortc's receiver uses it: `put((codec, frame))` and
    `put(None)` from the loop, `get()` from the decoder thread."""

    def __init__(self, output: asyncio.Queue[Any]) -> None:
        self._output = output
        self._decoder: Any = None
        self._codec_name: str | None = None
        self._ended = threading.Event()
        self._silent: av.AudioFrame | None = None  # the last frame, when it was digital silence
        self._silent_payload = b""
        self._repeats = 0  # the silent payload decoded to zeros this many times in a row
        self.decoded = 0
        self.repeated = 0  # silent frames handed on again without decoding (diagnostics, tests)

    def put(self, task: tuple[Any, Any] | None) -> None:
        if task is None:  # aiortc stops the receiver: its thread ends the track
            self._ended.set()
            return
        codec, encoded = task
        data = bytes(encoded.data)
        if self._silent is not None and self._repeats >= SETTLED_REPEATS and data == self._silent_payload:
            self.repeated += 1
            self._silent.pts = encoded.timestamp
            self._output.put_nowait(self._silent)
            return
        if codec.name != self._codec_name:
            self._decoder, self._codec_name = get_decoder(codec), codec.name
        try:
            frames = self._decoder.decode(encoded)
        except av.FFmpegError as exc:  # as aiortc's thread: keep the decoder, skip the frame
            log.warning("could not decode a %s frame of the caller's audio: %s", codec.name, exc)
            self._silent, self._repeats = None, 0
            return
        self.decoded += 1
        self._note(data, frames)
        for frame in frames:
            self._output.put_nowait(frame)

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


def decode_audio_inline(pc: RTCPeerConnection) -> list[InlineDecoding]:
    """Replace the decoder queue of each audio receiver of `pc` (after setRemoteDescription,
    before the connection starts its receivers). Where aiortc has changed, keep its thread."""
    installed = []
    for transceiver in pc.getTransceivers():
        receiver = transceiver.receiver
        if transceiver.kind != "audio" or receiver.track is None:
            continue
        if not hasattr(receiver, _QUEUE):
            log.warning("aiortc's decoder queue is not where expected; decoding on its thread")
            return installed
        decoding = InlineDecoding(receiver.track._queue)
        setattr(receiver, _QUEUE, decoding)
        installed.append(decoding)
    return installed
