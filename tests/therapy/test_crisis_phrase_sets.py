"""The local crisis net measured on labelled phrase sets. Run with `-s` to see the numbers.

- train / test: written before any rule existed, split alternately; the rules were first tuned on
  train only (first run on test: recall 98.0%, false alarms 0.0%).
- dev, dev2 … dev9: each was written as a fresh "unseen" set before a round of rules, measured once
  (numbers in its header and in data/README.md), then used for the next round: tuning sets now.
- unseen (set 10) and unseen2 (set 11), 80 + 80 each, written after the last round of rules and
  the last training of the learned layer (set 10 committed before that round), never tuned on:
  together recall 80.6% (129/160), false alarms 1.9% (3/159). Recall misses the 95% target; the
  test guards against regressions and prints the numbers.
- Then a Demo run showed the learned layer raising the crisis panel on everyday session talk
  ("feeling anxious about work": 10 of 40 lines in data/everyday_session_talk.txt). It is now
  consulted only where a word of risk appears (tuned on the dev sets), which costs the unseen sets
  a little recall: 65/80 and 59/80 (77.5% together), false alarms unchanged. A panel that comes up
  for "anxious about work" would teach people to ignore it; the misses are what the rules must grow.
"""

import pytest

from tests.therapy.phrase_sets import load, score
from therapy_desktop.therapy.crisis import CrisisKind

TUNED = ["train", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "set12", "set13"]
# Measured once each with the final system (rules of round 10, layer trained through dev9):
# set 10 (`unseen`) 68/80 and 3/80, set 11 (`unseen2`) 61/80 and 0/79.
MEASURED = {"unseen": (65 / 80, 3 / 80), "unseen2": (59 / 80, 0 / 79)}


def _files(name: str) -> tuple[str, str]:
    if name in ("train", "test"):
        return f"crisis_{name}.txt", f"benign_{name}.txt"
    return f"{name}_crisis.txt", f"{name}_benign.txt"


def _report(title: str):
    result = score(*_files(title))
    print("\n" + result.line(title))
    for text in result.missed:
        print(f"  missed: {text}")
    for text in result.false_alarms:
        print(f"  false alarm: {text}")
    return result


def test_the_sets_are_big_enough_cover_every_kind_and_do_not_overlap():
    seen: dict[str, str] = {}
    for name in [*TUNED, *MEASURED]:
        crisis_file, benign_file = _files(name)
        crisis, benign = load(crisis_file), load(benign_file)
        assert len(crisis) >= 40 and len(benign) >= 39, name
        assert {label for label, _ in crisis} == {k.value for k in CrisisKind if k is not CrisisKind.UNSPECIFIED}, name
        for _, text in crisis + benign:
            key = text.lower()
            assert key not in seen, f"{text!r} is in both {seen.get(key)} and {name}"
            seen[key] = name
    assert len(load("crisis_test.txt")) >= 45 and len(load("benign_test.txt")) >= 45


def test_test_half_recall_at_least_95_and_false_alarms_at_most_5_percent():
    result = _report("test")
    assert result.recall >= 0.95
    assert result.false_alarm_rate <= 0.05


@pytest.mark.parametrize("name", [n for n in TUNED if n != "test"])
def test_sets_the_rules_were_tuned_on_stay_above_the_targets(name):
    result = _report(name)
    assert result.recall >= 0.95 and result.false_alarm_rate <= 0.05


@pytest.mark.parametrize("name", list(MEASURED))
def test_unseen_sets_are_reported_and_do_not_regress(name):
    result = _report(name)
    meets = result.recall >= 0.95 and result.false_alarm_rate <= 0.05
    print(f"  targets (recall >= 95%, false alarms <= 5%) {'met' if meets else 'NOT met'} on unseen phrasings")
    recall, false_alarms = MEASURED[name]
    assert result.recall >= recall
    assert result.false_alarm_rate <= false_alarms
