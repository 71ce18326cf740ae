"""The canceller against a synthetic room: real speech (espeak-ng) as the AI companion's voice,
coming back into the microphone delayed, attenuated and with a reflection, plus a person
speaking over it. The far end is offered the way the speaker callback offers it: block by block,
with the time each block reaches the DAC."""

from __future__ import annotations

import time

import numpy as np
import pytest

from therapy_desktop.audio.echo_canceller import EchoCanceller, EchoCancelledSource, FarEndTap
from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.audio.sources import WavFileSource, decode_to_pcm

BLOCK = SAMPLE_RATE // 50  # what the track reads: 20 ms


def _db(pcm: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(pcm.astype(np.float64))) + 1e-9))


@pytest.fixture(scope="module")
def room(utterance_wavs):
    far = np.concatenate([decode_to_pcm(utterance_wavs[n]) for n in ("hello", "breathing", "goodbye")])
    person = decode_to_pcm(utterance_wavs["breathing"])
    delay = int(0.06 * SAMPLE_RATE)  # acoustic path + device buffers: 60 ms
    echo = np.zeros(len(far) + delay, dtype=np.float64)
    echo[delay:] = 0.3 * far
    echo[delay + 480 :] += 0.1 * far[: len(echo) - delay - 480]  # a wall 10 ms further away
    mic = echo.copy()
    talk_at = int(4.0 * SAMPLE_RATE)
    mic[talk_at : talk_at + len(person)] += 0.8 * person
    far = np.concatenate([far, np.zeros(len(mic) - len(far), dtype=np.int16)])
    return far, np.clip(mic, -32768, 32767).astype(np.int16), talk_at, 0.8 * person


def _run(far: np.ndarray, mic: np.ndarray) -> tuple[np.ndarray, EchoCanceller]:
    tap = FarEndTap()
    canceller = EchoCanceller(tap)
    source = EchoCancelledSource(WavFileSource(mic), canceller)
    source.capture_latency = 0.0
    out = []
    for start in range(0, len(mic) - BLOCK + 1, BLOCK):
        tap.offer(far[start : start + BLOCK], SAMPLE_RATE, time.monotonic() + 0.04)  # 40 ms to the DAC
        out.append(source.read(BLOCK))
    return np.concatenate(out), canceller


def test_echo_is_removed_and_the_person_kept(room):
    far, mic, talk_at, person = room
    cleaned, canceller = _run(far, mic)
    echo_only = slice(int(1.5 * SAMPLE_RATE), talk_at)  # after the first second and a half
    removed = _db(mic[echo_only]) - _db(cleaned[echo_only])
    assert removed > 30, f"only {removed:.1f} dB of echo removed"
    double_talk = slice(talk_at, talk_at + len(person))
    kept = _db(cleaned[double_talk]) - _db(person)
    assert kept > -6, f"the person's voice lost {-kept:.1f} dB during double talk"
    assert 0 < canceller.delay_ms < 200  # the delay it was told came from the clocks given
    assert canceller.reference_seconds > 2


def test_disabled_canceller_passes_the_microphone_through(room):
    far, mic, _, _ = room
    source = EchoCancelledSource(WavFileSource(mic[: BLOCK * 10]), EchoCanceller(FarEndTap()))
    source.enabled = False
    assert np.array_equal(np.concatenate([source.read(BLOCK) for _ in range(10)]), mic[: BLOCK * 10])


def test_a_full_tap_counts_what_it_lost():
    tap = FarEndTap(maxlen=2)
    for _ in range(3):
        tap.offer(np.ones(BLOCK, dtype=np.int16), SAMPLE_RATE, 0.0)
    assert tap.lost == 1 and len(tap.drain()) == 2
