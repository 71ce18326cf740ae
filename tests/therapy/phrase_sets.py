"""Loads the labelled phrase sets in tests/therapy/data and scores the crisis classifier on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from therapy_desktop.therapy.crisis import classify
from therapy_desktop.therapy.crisis_answers import answer_is_crisis

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[tuple[str, str]]:
    """(label, utterance) rows of `data/<name>`; `#` lines are comments."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, sep, text = line.partition(" | ")
        assert sep, f"{name}: line without 'label | text': {line!r}"
        rows.append((label.strip(), text.strip()))
    return rows


@dataclass(frozen=True)
class Score:
    recall: float
    false_alarm_rate: float
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]
    n_crisis: int
    n_benign: int

    def line(self, title: str) -> str:
        return (
            f"{title}: recall {self.recall:.1%} ({self.n_crisis - len(self.missed)}/{self.n_crisis}), "
            f"false alarms {self.false_alarm_rate:.1%} ({len(self.false_alarms)}/{self.n_benign})"
        )


def flagged(line: str) -> bool:
    """Whether the crisis net raises the flag for a set's line. "[question] answer" is a short answer
    to the AI companion's question, read as the session reads it: the answer alone, then the answer
    against the question (`session.safety_watch`)."""
    question, answer = None, line
    if line.startswith("[") and "]" in line:
        question, answer = line[1:].split("]", 1)
        answer = answer.strip()
    if classify(answer).is_crisis:
        return True
    return question is not None and answer_is_crisis(question, answer) is not None


def score(crisis_file: str, benign_file: str) -> Score:
    crisis, benign = load(crisis_file), load(benign_file)
    missed = tuple(text for _, text in crisis if not flagged(text))
    alarms = tuple(text for _, text in benign if flagged(text))
    return Score(1 - len(missed) / len(crisis), len(alarms) / len(benign), missed, alarms, len(crisis), len(benign))
