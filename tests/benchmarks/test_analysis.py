"""The benchmark's arithmetic, on synthetic recordings (no timing of the app is asserted here)."""

import numpy as np

from benchmarks.audio_rig import RATE, analyse_turns
from benchmarks.report import summarize, write_table
from benchmarks.stats import median, p90


def _recording(events: list[tuple[float, float]], seconds: float) -> np.ndarray:
    pcm = np.zeros(int(seconds * RATE), dtype=np.int16)
    for start, length in events:
        pcm[int(start * RATE) : int((start + length) * RATE)] = 5000
    return pcm


def test_reply_latency_is_from_the_end_of_the_utterance_to_the_reply_onset():
    # utterance copies at 1.0 s (2 s long) and 8.0 s (1.5 s); replies at 4.2 s and 11.0 s
    recording = _recording([(1.0, 2.0), (4.2, 2.5), (8.0, 1.5), (11.0, 2.0)], 15)
    turns = analyse_turns(recording, queued_at=[int(0.9 * RATE), int(7.9 * RATE)], voiced_seconds=[2.0, 1.5])
    assert [round(t.latency_ms) for t in turns] == [1200, 1500]


def test_a_turn_without_a_reply_has_no_latency():
    turns = analyse_turns(_recording([(1.0, 1.0)], 5), queued_at=[int(0.9 * RATE)], voiced_seconds=[1.0])
    assert turns[0].reply_onset is None and turns[0].latency_ms is None


def test_percentiles():
    assert median([3, 1, 2]) == 2
    assert p90(range(11)) == 9
    assert median([]) is None


def test_the_table_has_a_ratio_column_per_desktop_client():
    run = {"connect_s": {"total": 0.5}, "latency_ms": [1000.0], "engine_turns": [{"engine_ms": 800.0, "vad_silence_ms": 500,
           "transcribe_ms": 200.0, "synthesize_ms": 80.0, "leading_silence_ms": 20.0, "first_frame_ms": 5.0}],
           "cpu_s_per_min": 6.0, "peak_rss_sampled_mb": 100.0, "peak_rss_vmhwm_mb": 100.0, "launched_at": 0.0}
    runs = [{**run, "client": "desktop-headless"}, {**run, "client": "browser", "connect_s": {"total": 1.0}}]
    table = write_table(summarize(runs), ["desktop-headless", "browser"])
    assert "| total: start → session.updated | 500 | 1000 | 0.50 |" in table
    assert "headless ÷ browser" in table
