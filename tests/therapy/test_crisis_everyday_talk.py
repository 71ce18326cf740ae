"""Ordinary session talk is not a crisis: greetings, worries about work, exercises, goodbyes. A net
that raised the crisis panel for "feeling anxious about work" or "thank you, goodbye" would teach
people to ignore it (this set failed 10 of 40 before the learned layer was gated on risk words)."""

from pathlib import Path

from therapy_desktop.therapy import classify

DATA = Path(__file__).parent / "data" / "everyday_session_talk.txt"


def test_everyday_session_talk_raises_no_crisis():
    lines = [line.strip() for line in DATA.read_text().splitlines() if line.strip() and not line.startswith("#")]
    alarms = [line for line in lines if classify(line).is_crisis]
    assert len(lines) >= 40
    assert alarms == []


def test_a_goodbye_that_sounds_final_is_still_caught():
    assert classify("You have been a good friend. Goodbye.").is_crisis
    assert classify("I don't see a future for myself any more").is_crisis
