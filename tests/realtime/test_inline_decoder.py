"""Audio decoded on the loop, between two real aiortc peers over loopback."""

from __future__ import annotations

import asyncio

import numpy as np
from aiortc import RTCPeerConnection
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, MonoResampler
from therapy_desktop.audio.sources import WavFileSource
from therapy_desktop.realtime.inline_decoder import _ATTRIBUTE, InlineDecoderQueue, decode_audio_on_the_loop


async def _connected(sender_track: MicrophoneTrack) -> tuple[RTCPeerConnection, RTCPeerConnection, asyncio.Future]:
    sender, receiver = RTCPeerConnection(), RTCPeerConnection()
    sender.addTrack(sender_track)
    receiver.addTransceiver("audio")
    decode_audio_on_the_loop(receiver)  # as the app does: right after the transceiver exists
    track: asyncio.Future = asyncio.get_running_loop().create_future()
    receiver.on("track", lambda t: track.done() or track.set_result(t))
    await sender.setLocalDescription(await sender.createOffer())
    await receiver.setRemoteDescription(sender.localDescription)
    await receiver.setLocalDescription(await receiver.createAnswer())
    await sender.setRemoteDescription(receiver.localDescription)
    return sender, receiver, track


async def test_frames_decode_on_the_loop_in_order_and_the_track_ends_on_close():
    tone = (np.sin(np.arange(FRAME_SAMPLES * 100) * 2 * np.pi * 440 / SAMPLE_RATE) * 8000).astype(np.int16)
    sender, receiver, track_future = await _connected(MicrophoneTrack(WavFileSource(tone)))
    try:
        track = await asyncio.wait_for(track_future, 10)
        queue = getattr(receiver.getTransceivers()[0].receiver, _ATTRIBUTE)
        assert isinstance(queue, InlineDecoderQueue)
        resampler = MonoResampler()
        heard = np.concatenate([resampler.convert(await asyncio.wait_for(track.recv(), 10)) for _ in range(40)])
        assert queue.decoded >= 40 and queue.failed == 0
        assert float(np.sqrt(np.mean(heard[-FRAME_SAMPLES * 10 :].astype(np.float32) ** 2))) > 3000  # the tone
    finally:
        await sender.close()
        await receiver.close()
    for _ in range(200):  # frames still queued come first; then the end
        try:
            await asyncio.wait_for(track.recv(), 5)
        except MediaStreamError:
            break
    else:
        raise AssertionError("the track did not end")
    assert all(t.name != "audio-decoder" for t in __import__("threading").enumerate())
