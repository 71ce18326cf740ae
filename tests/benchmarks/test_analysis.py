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


def _room(speaker: list[tuple[float, float]], person: list[tuple[float, float]], seconds: float) -> np.ndarray:
    return np.stack([_recording(speaker, seconds), _recording(person, seconds)], axis=1)


def test_a_barge_in_stops_when_the_speaker_goes_quiet_after_the_persons_onset():
    from benchmarks.echo_room import stop_times_ms

    # a reply 1-6 s; the person at 3 s; the reply's last sound 3.24 s: a 240 ms stop
    stereo = _room([(1.0, 2.24)], [(3.0, 1.0)], 8)
    [(onset, stop)] = stop_times_ms(stereo)
    assert abs(onset - 3.0) < 0.006 and abs(stop - 240) <= 5
    # the person speaking when no reply sounds is no barge-in
    assert stop_times_ms(_room([(1.0, 1.0)], [(4.0, 1.0)], 8)) == []


def test_listening_to_a_recording_says_whether_the_person_began_over_a_word_or_in_a_pause():
    from benchmarks.echo_listen import rows

    # two replies: the person begins over the first one's sound, and in a 300 ms gap of the second
    stereo = _room([(1.0, 2.2), (6.0, 1.0), (7.3, 2.0)], [(3.0, 1.0), (7.15, 1.0)], 11)
    heard: list[int] = []
    found = rows(stereo, lambda pcm: heard.append(len(pcm)) or "words")
    assert [row["level_before"] > 300 for row in found] == [True, False]
    assert all(row["words_before"] == "words" for row in found) and len(heard) == 4
