import numpy as np

from therapy_desktop.audio.jitter_buffer import JitterBuffer

RATE = 48_000


def tone(ms: int, amplitude: int = 8000) -> np.ndarray:
    return np.full(RATE * ms // 1000, amplitude, dtype=np.int16)


def silence(ms: int) -> np.ndarray:
    return np.zeros(RATE * ms // 1000, dtype=np.int16)


def test_it_waits_for_the_prebuffer_then_plays_in_order():
    buffer = JitterBuffer(RATE, prebuffer_ms=40, max_ms=250)
    buffer.push(tone(20, 1000))
    assert not buffer.pull(960).any()  # 20 ms is below the 40 ms prebuffer
    buffer.push(tone(20, 2000))
    assert (buffer.pull(960) == 1000).all()
    assert (buffer.pull(960) == 2000).all()


def test_running_dry_pads_with_silence_and_prebuffers_again():
    buffer = JitterBuffer(RATE, prebuffer_ms=40)
    buffer.push(tone(50))
    buffer.pull(960)
    buffer.pull(960)
    out = buffer.pull(960)  # only 10 ms left
    assert out[:480].all() and not out[480:].any()
    assert buffer.underruns == 1
    buffer.push(tone(20))
    assert not buffer.pull(960).any()


def test_a_backlog_beyond_the_maximum_is_dropped_down_to_the_prebuffer():
    buffer = JitterBuffer(RATE, prebuffer_ms=40, max_ms=250)
    for _ in range(20):
        buffer.push(tone(20))
    assert buffer.buffered_ms <= 250
    assert buffer.dropped_samples > 0


def test_clear_drops_everything_queued():
    buffer = JitterBuffer(RATE)
    buffer.push(tone(100))
    buffer.clear()
    assert buffer.buffered_ms == 0 and not buffer.sound_pending


def test_sound_pending_ignores_the_silence_between_replies():
    buffer = JitterBuffer(RATE, prebuffer_ms=20)
    buffer.push(silence(100))
    assert not buffer.sound_pending
    buffer.push(tone(40))
    buffer.push(silence(100))
    assert buffer.sound_pending
    for _ in range(4):
        buffer.pull(960)
    assert buffer.sound_pending  # the tone is still queued behind silence
    for _ in range(4):
        buffer.pull(960)
    assert not buffer.sound_pending
    assert buffer.audible_within(1.0)
