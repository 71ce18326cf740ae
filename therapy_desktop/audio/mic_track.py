"""The microphone as an aiortc track: 20 ms frames of mono 48 kHz, paced by the device's clock (or
the wall clock for a file), handed to aiortc already Opus-encoded (`opus_encoder`: no thread hop
per frame)."""

from __future__ import annotations

from collections.abc import Callable

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.opus_encoder import OpusFrameEncoder
from therapy_desktop.audio.pacing import FramePacer
from therapy_desktop.audio.pcm import FRAME_SAMPLES, frame_from_pcm, rms_level
from therapy_desktop.audio.sources import AudioSource


class MicrophoneTrack(MediaStreamTrack):
    """aiortc pulls `recv()` as fast as it returns, so each call waits for its frame's time.

    The clock starts at the first `recv()`; timestamps only ever grow by one frame, and when the
    source has nothing (or the uplink is muted) the frame is silence, never a gap.
    """

    kind = "audio"

    def __init__(
        self,
        source: AudioSource,
        *,
        muted: Callable[[], bool] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_muted: Callable[[bool], None] | None = None,
        hold: Callable[[], bool] | None = None,
        on_pcm: Callable[[np.ndarray], None] | None = None,
        gain: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.source = source  # swappable: change devices behind the same track, mid-call
        self._muted = muted
        self._on_level = on_level
        self._on_muted = on_muted  # told when the uplink goes silent or comes back, not per frame
        self._hold = hold  # a recording also waits while this says the other side has the turn
        self._on_pcm = on_pcm  # every frame as read, before muting (the local voice detector)
        self._gain = gain  # applied after on_pcm: residual-echo suppression in speakers mode
        self._pacer = FramePacer()
        self._encoder: OpusFrameEncoder | None = None
        self.is_muted = False
        self.muted_frames = 0

    async def recv(self) -> av.Packet:
        """What aiortc sends: the next frame, encoded."""
        if self._encoder is None:
            self._encoder = OpusFrameEncoder()
        while (packet := self._encoder.encode(await self.next_frame())) is None:
            pass
        return packet

    async def next_frame(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        ready = getattr(self.source, "when_ready", None)  # a live device: its own clock paces
        index = await (self._pacer.next_frame_from(ready) if ready is not None else self._pacer.next_frame())
        muted = self._muted is not None and self._muted()
        # A recording waits while the uplink is gated (what the person says in a QA file is said
        # when it is their turn); a live microphone cannot wait, its audio is dropped.
        waits = getattr(self.source, "waits_while_muted", False)
        if waits and (muted or (self._hold is not None and self._hold())):
            pcm = np.zeros(0, dtype=np.int16)
        else:
            pcm = self.source.read(FRAME_SAMPLES)
        if len(pcm) < FRAME_SAMPLES:
            pcm = np.concatenate([pcm, np.zeros(FRAME_SAMPLES - len(pcm), dtype=np.int16)])
        if self._on_level is not None:
            self._on_level(rms_level(pcm))
        if self._on_pcm is not None:
            self._on_pcm(pcm)
        if self._gain is not None and (gain := self._gain()) != 1.0:
            pcm = (pcm.astype(np.float32) * gain).astype(np.int16)
        if muted:
            pcm = np.zeros(FRAME_SAMPLES, dtype=np.int16)
            self.muted_frames += 1
        if muted != self.is_muted:
            self.is_muted = muted
            if self._on_muted is not None:
                self._on_muted(muted)
        return frame_from_pcm(pcm, pts=index * FRAME_SAMPLES)
