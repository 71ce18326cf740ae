import numpy as np

from therapy_desktop.engine.turns import SpeechEnd, SpeechPause, SpeechStart, TurnDetector

WINDOW = 512  # 32 ms at 16 kHz


def run(probabilities, pauses=False, **settings):
    detector = TurnDetector(rate=16_000, window=WINDOW, **settings)
    events = []
    for i, p in enumerate(probabilities):
        window = np.full(WINDOW, i, dtype=np.int16)
        result = detector.feed(window, p)
        if result is not None and (pauses or not isinstance(result, SpeechPause)):
            events.append((i, result))
    return events


def test_a_pause_hands_over_the_speech_so_far_and_the_end_points_to_it():
    probs = [0.0] * 10 + [0.9] * 20 + [0.0] * 5 + [0.9] * 20 + [0.0] * 20
    events = run(probs, pauses=True, silence_duration_ms=500)
    kinds = [type(e) for _, e in events]
    assert kinds == [SpeechStart, SpeechPause, SpeechPause, SpeechEnd]
    (_, _), (_, first), (i_second, second), (_, end) = events
    assert first.serial != second.serial and end.pause_serial == second.serial
    assert i_second < 55 + 500 // 32  # long before the silence window ends
    assert int(second.audio[-1]) == i_second and len(end.audio) > len(second.audio)  # only silence came after
    assert end.speech_ms == (55 - 10) * 32


def test_speech_then_silence_makes_one_turn_with_the_prefix_padding():
    probs = [0.0] * 20 + [0.9] * 30 + [0.0] * 20
    events = run(probs, threshold=0.5, prefix_padding_ms=300, silence_duration_ms=500)
    (i_start, start), (i_end, end) = events
    assert isinstance(start, SpeechStart) and isinstance(end, SpeechEnd)
    assert start.audio_start_ms == 20 * 32
    assert end.audio_end_ms == 50 * 32
    assert i_end - 49 >= 500 // 32  # waited for the silence window
    first_window_value = int(end.audio[0])
    assert first_window_value <= 20 - 300 // 32 + 1  # starts ~300 ms before the speech


def test_a_short_blip_does_not_start_a_turn():
    assert run([0.0] * 10 + [0.9] + [0.0] * 30) == []


def test_a_short_pause_inside_speech_does_not_end_the_turn():
    probs = [0.9] * 20 + [0.0] * 8 + [0.9] * 20 + [0.0] * 30
    events = run(probs, silence_duration_ms=500)
    assert [type(e) for _, e in events] == [SpeechStart, SpeechEnd]


def test_the_threshold_setting_is_honoured():
    probs = [0.6] * 30 + [0.0] * 30
    assert run(probs, threshold=0.7) == []
    assert len(run(probs, threshold=0.5)) == 2
