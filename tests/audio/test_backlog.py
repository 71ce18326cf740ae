import numpy as np

from therapy_desktop.audio.backlog import StandingBacklog
from therapy_desktop.audio.jitter_buffer import JitterBuffer


def test_only_what_stayed_queued_for_a_whole_window_is_excess():
    backlog = StandingBacklog(keep=100, window=5)
    for level in (900, 400, 700, 300, 800):
        backlog.observe(level)
    assert backlog.take() == 200  # the lowest was 300; keep 100
    assert backlog.take() == 0


def test_the_jitter_buffer_sheds_a_standing_backlog_in_silence_not_in_speech():
    rate = 48_000
    buffer = JitterBuffer(rate, prebuffer_ms=40, max_ms=1000)
    frame = 960

    def run(seconds: float, loud: bool) -> None:
        for _ in range(int(seconds * 50)):
            buffer.push(np.full(frame, 8000 if loud else 0, dtype=np.int16))
            buffer.pull(frame)

    for _ in range(10):  # a burst: 200 ms arrive at once, then real time
        buffer.push(np.zeros(frame, dtype=np.int16))
    run(1.2, loud=False)
    assert buffer.buffered_ms <= 60  # shed down to about the prebuffer

    for _ in range(10):
        buffer.push(np.full(frame, 8000, dtype=np.int16))  # a burst in the middle of speech
    run(1.2, loud=True)
    assert buffer.buffered_ms >= 200  # speech is never cut
    run(1.5, loud=False)
    assert buffer.buffered_ms <= 60
