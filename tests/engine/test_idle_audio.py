"""What the engine does per frame when nobody speaks: its voice track sends as an Opus DTX sender
(a silence packet every 400 ms, the time kept in the timestamps, speech at once when queued), and
the caller's digital silence skips the resampler with the same samples coming out. Then a real
loopback call from the app's own client: the greeting arrives whole, the idle line carries few
packets, the client keeps hearing the track, and its silent microphone skips the resampler."""

from __future__ import annotations

import asyncio
import threading
import time
import wave

import av
import numpy as np
import pytest
from aiortc import RTCRtpCodecParameters
from aiortc.codecs.opus import OpusDecoder, OpusEncoder
from aiortc.jitterbuffer import JitterFrame

from tests.conftest import conversation_wav, wav_endpoints
from tests.waiting import wait_until
from therapy_desktop.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, MonoResampler, frame_from_pcm
from therapy_desktop.engine.caller_audio import CallerResampler
from therapy_desktop.engine.frame_clock import FrameClock
from therapy_desktop.realtime.inline_decoder import InlineDecoderQueue
from therapy_desktop.engine.speech import VAD_RATE
from therapy_desktop.engine.voice_track import ENCODED_TAIL_FRAMES, VoiceTrack
from therapy_desktop.session.therapy_session import TherapySession
from therapy_desktop.therapy import TherapyType


def _tone(seconds: float, rate: int = SAMPLE_RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 220 * t) * 8000).astype(np.int16)


# -- the clock ---------------------------------------------------------------------------------

async def test_the_clock_skips_the_frames_slept_through_and_never_goes_back():
    clock = FrameClock()
    assert [await clock.next_frame() for _ in range(3)] == [0, 1, 2]
    wake = asyncio.Event()
    await clock.skip_until(8, wake)  # sleeps until frame 8 is due
    index = await clock.next_frame()
    assert index >= 8
    wake.set()
    await clock.skip_until(10_000, wake)  # already woken: returns at once, to the frame due now
    assert index < await clock.next_frame() < 10_000


async def test_a_wake_ends_the_skip_before_its_frame():
    clock = FrameClock()
    await clock.next_frame()
    wake = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, wake.set)
    await asyncio.wait_for(clock.skip_until(50_000, wake), 10)  # 1000 s of frames, cut short
    assert 0 < await clock.next_frame() < 50_000


# -- the voice track ---------------------------------------------------------------------------

async def test_in_silence_the_track_sends_a_refresh_every_twenty_frames_with_the_time_kept():
    track = VoiceTrack(idle_refresh_frames=5)  # 100 ms, to keep the test short
    packets = [await asyncio.wait_for(track.recv(), 5) for _ in range(4)]
    frames = [p.pts // FRAME_SAMPLES for p in packets]
    assert frames[0] == 0
    assert [b - a for a, b in zip(frames, frames[1:], strict=False)] == [5, 5, 5]  # the gaps kept in the timestamps
    assert all(bytes(p) == bytes(packets[0]) for p in packets)  # the same silence packet
    assert track.packets == 4


async def test_speech_queued_in_a_gap_goes_out_at_once_then_every_frame():
    track = VoiceTrack(idle_refresh_frames=50_000)  # a gap of 1000 s: only speech can end it
    first = await track.recv()
    pending = asyncio.ensure_future(track.recv())
    await asyncio.sleep(0.1)
    assert not pending.done()  # nothing sent in the silence
    start = track.enqueue(_tone(0.1))
    speech = await asyncio.wait_for(pending, 5)
    assert bytes(speech) != bytes(first) and 0 < speech.pts // FRAME_SAMPLES < 50_000
    rest = [await asyncio.wait_for(track.recv(), 5) for _ in range(4 + ENCODED_TAIL_FRAMES)]
    frames = [p.pts // FRAME_SAMPLES for p in [speech, *rest]]
    assert frames == list(range(frames[0], frames[0] + len(frames)))  # speech and its tail: every frame
    assert track.sent == start + len(_tone(0.1))
    assert await asyncio.wait_for(track.wait_sent(track.enqueued), 1)


async def test_the_packets_decode_to_the_speech_and_to_exact_silence_around_it():
    track = VoiceTrack(idle_refresh_frames=3)
    packets = [await asyncio.wait_for(track.recv(), 5) for _ in range(3)]
    track.enqueue(_tone(0.2))
    packets += [await asyncio.wait_for(track.recv(), 5) for _ in range(10 + ENCODED_TAIL_FRAMES + 4)]
    decoder = OpusDecoder()
    decoded = [np.concatenate([f.to_ndarray().reshape(-1) for f in decoder.decode(JitterFrame(bytes(p), 0))])
               for p in packets]
    loud = [i for i, pcm in enumerate(decoded) if np.abs(pcm).max() > 1000]
    assert loud and loud[0] in (3, 4) and len(loud) >= 9  # the tone, right after the silence (the codec's look-ahead)
    assert not np.any(decoded[-1]) and not np.any(decoded[0])  # silence is digital zero at the far end
    frames = [p.pts // FRAME_SAMPLES for p in packets]
    assert frames == sorted(set(frames))  # timestamps only ever go forward


async def test_continuous_silence_is_still_available():
    track = VoiceTrack(idle_refresh_frames=None)
    frames = [(await asyncio.wait_for(track.recv(), 5)).pts // FRAME_SAMPLES for _ in range(ENCODED_TAIL_FRAMES + 5)]
    assert frames == list(range(len(frames)))


def test_a_refresh_of_less_than_a_frame_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        VoiceTrack(idle_refresh_frames=0)


# -- the caller's audio ------------------------------------------------------------------------

def _stereo_frames(pcm: np.ndarray) -> list[av.AudioFrame]:
    """48 kHz stereo s16 frames of 20 ms, as aiortc's Opus decoder yields them."""
    frames = []
    for index in range(len(pcm) // FRAME_SAMPLES):
        mono = pcm[index * FRAME_SAMPLES:(index + 1) * FRAME_SAMPLES]
        frame = av.AudioFrame.from_ndarray(np.repeat(mono, 2).reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate, frame.pts = SAMPLE_RATE, index * FRAME_SAMPLES
        frames.append(frame)
    return frames


def test_silence_skips_the_resampler_and_the_samples_are_the_same():
    rng = np.random.default_rng(7)
    speech = lambda seconds: (rng.normal(0, 3000, int(seconds * SAMPLE_RATE))).astype(np.int16)  # noqa: E731
    pcm = np.concatenate([speech(0.3), np.zeros(SAMPLE_RATE, dtype=np.int16), speech(0.5),
                          np.zeros(SAMPLE_RATE // 2, dtype=np.int16), speech(0.2)])
    plain, skipping = MonoResampler(VAD_RATE), CallerResampler(VAD_RATE)
    expected = np.concatenate([plain.convert(f) for f in _stereo_frames(pcm)])
    got = np.concatenate([skipping.convert(f) for f in _stereo_frames(pcm)])
    assert np.array_equal(got, expected)
    assert skipping.bypassed >= 60  # 1.5 s of silence, less the frame that settles the filter after each sound


def test_faint_noise_is_not_silence():
    noise = (np.random.default_rng(1).normal(0, 2, SAMPLE_RATE)).astype(np.int16)
    resampler = CallerResampler(VAD_RATE)
    plain = MonoResampler(VAD_RATE)
    got = np.concatenate([resampler.convert(f) for f in _stereo_frames(noise)])
    assert resampler.bypassed == 0 and np.array_equal(got, np.concatenate([plain.convert(f) for f in _stereo_frames(noise)]))


# -- a real call, nobody speaking ---------------------------------------------------------------

@pytest.mark.slow
async def test_an_idle_call_sends_few_packets_and_the_client_still_hears_the_greeting(engine, demo_provider, tmp_path):
    mic = conversation_wav(tmp_path / "mic.wav", [(None, 60.0)])
    speaker = tmp_path / "out.wav"
    session = TherapySession(TherapyType.GENERAL, demo_provider, wav_endpoints(mic, speaker))
    await session.start()

    try:
        call = next(iter(engine.calls.values()))
        greeting = lambda: [i for i in session.transcript.visible_items() if i.role == "assistant" and i.text]  # noqa: E731
        await wait_until(lambda: greeting() and call._response is not None and call._response.done
                         and not call.track.pending_samples, 60, "the greeting was sent")
        await asyncio.sleep(ENCODED_TAIL_FRAMES * 0.02 + 0.1)  # past the encoder's tail: the idle line
        packets, heard, started = call.track.packets, session.audio.last_heard_at, time.monotonic()
        await asyncio.sleep(2.0)
        idle_packets, idle_s = call.track.packets - packets, time.monotonic() - started
        assert session.audio.last_heard_at > heard  # the client keeps hearing the track in the silence
        resampler = call.user_turns.resampler
        assert resampler is not None and resampler.bypassed > 0  # the client's silent microphone is exact zeros
        assert call.decoding and call.decoding[0].repeated > 0  # its repeated silence packets are not decoded
        sent = call.track.sent
    finally:
        await session.end()
    await wait_until(lambda: not any(t.name == "audio-decoder" for t in threading.enumerate()), 10,
                     "aiortc's decoder thread ended")
    # About one packet per 400 ms, where a continuous stream sends 50 a second.
    assert 1 <= idle_packets <= idle_s / 0.4 + 2, (idle_packets, idle_s)
    with wave.open(str(speaker)) as played:
        audio = np.frombuffer(played.readframes(played.getnframes()), dtype=np.int16)
    loud = np.flatnonzero(np.abs(audio) > 1000)
    assert loud.size and (loud[-1] - loud[0]) >= 0.8 * sent * played.getframerate() / SAMPLE_RATE - SAMPLE_RATE // 2



# -- decoding on the loop ----------------------------------------------------------------------

def _opus_packets(pcm: np.ndarray) -> list[bytes]:
    encoder, packets = OpusEncoder(), []
    for index in range(len(pcm) // FRAME_SAMPLES):
        payloads, _ = encoder.encode(frame_from_pcm(pcm[index * FRAME_SAMPLES:(index + 1) * FRAME_SAMPLES],
                                                    pts=index * FRAME_SAMPLES))
        packets += payloads
    return packets


async def test_decoding_on_the_loop_gives_the_samples_aiortc_decodes_and_skips_repeated_silence():
    rng = np.random.default_rng(5)
    speech = lambda seconds: np.clip(rng.normal(0, 4000, int(seconds * SAMPLE_RATE)), -32768, 32767).astype(np.int16)  # noqa: E731
    packets = _opus_packets(np.concatenate([speech(0.4), np.zeros(2 * SAMPLE_RATE, dtype=np.int16), speech(0.6),
                                            np.zeros(SAMPLE_RATE, dtype=np.int16), _tone(0.3)]))
    codec = RTCRtpCodecParameters(mimeType="audio/opus", clockRate=48000, channels=2, payloadType=111)
    reference = OpusDecoder()
    expected = [f.to_ndarray().copy() for i, p in enumerate(packets) for f in reference.decode(JitterFrame(p, i * 960))]
    output: asyncio.Queue = asyncio.Queue()
    decoding = InlineDecoderQueue(lambda: output)
    got = []
    for index, payload in enumerate(packets):
        decoding.put((codec, JitterFrame(payload, index * FRAME_SAMPLES)))
        while not output.empty():
            frame = output.get_nowait()
            got.append(frame.to_ndarray().copy())
            assert frame.pts == index * FRAME_SAMPLES
    assert len(got) == len(expected) and all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))
    assert decoding.repeated > 50 and decoding.decoded + decoding.repeated == len(packets)


async def test_aiortc_stopping_the_receiver_ends_the_thread_waiting_on_it():
    decoding = InlineDecoderQueue(asyncio.Queue)
    waiter = threading.Thread(target=decoding.get)
    waiter.start()
    decoding.put(None)
    waiter.join(5)
    assert not waiter.is_alive()
