import numpy as np

from therapy_desktop.audio.mic_track import MicrophoneTrack
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE
from therapy_desktop.audio.sources import WavFileSource


async def test_frames_are_20ms_mono_s16_with_continuous_timestamps_then_silence():
    pcm = np.arange(FRAME_SAMPLES * 2 + 100, dtype=np.int16)
    track = MicrophoneTrack(WavFileSource(pcm))
    frames = [await track.next_frame() for _ in range(4)]
    assert [f.pts for f in frames] == [0, 960, 1920, 2880]
    for frame in frames:
        assert frame.samples == FRAME_SAMPLES and frame.sample_rate == SAMPLE_RATE
        assert frame.format.name == "s16" and frame.layout.name == "mono"
    data = [f.to_ndarray().reshape(-1) for f in frames]
    assert (data[0] == pcm[:960]).all()
    assert (data[2][:100] == pcm[1920:]).all() and not data[2][100:].any()
    assert not data[3].any()


class LiveSource(WavFileSource):
    """Like a device: its audio goes on whether or not the uplink is open."""

    waits_while_muted = False


async def test_a_muted_uplink_sends_silence_but_the_meter_still_hears_the_mic():
    levels = []
    track = MicrophoneTrack(LiveSource(np.full(FRAME_SAMPLES * 3, 9000, dtype=np.int16)),
                            muted=lambda: True, on_level=levels.append)
    frame = await track.next_frame()
    assert not frame.to_ndarray().any()
    assert levels[0] > 0.5
    assert track.muted_frames == 1


async def test_a_recording_waits_while_the_uplink_is_gated_so_no_word_is_lost():
    pcm = np.arange(FRAME_SAMPLES * 2, dtype=np.int16)
    muted = [True]
    track = MicrophoneTrack(WavFileSource(pcm), muted=lambda: muted[0])
    gated = await track.next_frame()
    assert not gated.to_ndarray().any()
    muted[0] = False
    first, second = await track.next_frame(), await track.next_frame()
    assert (first.to_ndarray().reshape(-1) == pcm[:FRAME_SAMPLES]).all()  # nothing was skipped
    assert (second.to_ndarray().reshape(-1) == pcm[FRAME_SAMPLES:]).all()


async def test_the_source_can_be_swapped_mid_call_without_breaking_timestamps():
    track = MicrophoneTrack(WavFileSource(np.full(FRAME_SAMPLES, 1, dtype=np.int16)))
    first = await track.next_frame()
    track.source = WavFileSource(np.full(FRAME_SAMPLES, 2, dtype=np.int16))
    second = await track.next_frame()
    assert second.pts == first.pts + FRAME_SAMPLES
    assert (second.to_ndarray() == 2).all()


async def test_aiortc_gets_opus_packets_in_order_that_decode_back_to_the_microphone():
    from aiortc.codecs.opus import OpusDecoder
    from aiortc.jitterbuffer import JitterFrame

    tone = (np.sin(np.arange(FRAME_SAMPLES * 10) * 2 * np.pi * 440 / SAMPLE_RATE) * 8000).astype(np.int16)
    track = MicrophoneTrack(WavFileSource(tone))
    packets = [await track.recv() for _ in range(10)]
    assert [p.pts for p in packets] == [i * FRAME_SAMPLES for i in range(10)]
    decoder = OpusDecoder()
    decoded = np.concatenate([
        frame.to_ndarray().reshape(-1, 2)[:, 0]  # aiortc decodes to stereo; both channels carry the mono
        for p in packets for frame in decoder.decode(JitterFrame(data=bytes(p), timestamp=p.pts))
    ])
    look_ahead = 312  # libopus's: the decoded stream is the input delayed by this many samples
    heard, sent = decoded[look_ahead + 960 : 8000].astype(float), tone[960 : 8000 - look_ahead].astype(float)
    assert np.corrcoef(heard, sent)[0, 1] > 0.95
