"""The local crisis net measured on labelled phrase sets. Run with `-s` to see the numbers.

- train / test: written before any rule existed, split alternately; the rules were first tuned on
  train only (first run on test: recall 98.0%, false alarms 0.0%).
- dev, dev2 … dev9, set12, set13, dev14 (was set14), dev15 (was set15): each was written as a fresh set before a round of rules, measured once
  (numbers in its header and in data/README.md), then used for the next round: tuning sets now.
- unseen (set 10) and unseen2 (set 11), 80 + 80 each, written by the first author after round 10 and never
  tuned on. With the round-13 system (rules + word layer + sentence vectors): 72/80 and 67/80, false alarms
  3/80 and 0/79. Guarded against regressions.
- set14 (now dev14), 84 + 84, written in new voices after round 13 was committed and measured once: recall
  54.8% (46/84), false alarms 11.9% (10/84) for the round-13 system; since round 14 the learned layer is
  trained on it (no rule was written for it), so it has floors, not the targets.
- dev15 (was set15), 84 + 84, written by a third author without reading the detector and measured once with
  round 14: recall 84.5% (71/84), false alarms 14.3% (12/84); round 15's rules were written for it and the
  layer is trained on it, so it is a tuning set now.
- dev16 (was set16), 84 + 84, written by a fourth author without reading the detector and measured once with
  round 15: recall 78.6% (66/84), false alarms 6.0% (5/84); round 16's rules were written for it (the layer was
  not retrained), so it is a tuning set now.
- dev17 (was set17), 84 + 83, written by a fifth author the same way and measured once with round 16: recall
  78.6% (66/84), false alarms 13.1% (11/84); round 17's rules were written for it (layer not retrained).
- dev18 (was set18), 84 + 84, written by a sixth author the same way (with short answers to the AI companion's
  question as "[question] answer") and measured once with round 17: recall 76.2% (64/84), false alarms 14.3%
  (12/84); round 18's rules were written for it (layer not retrained).
- dev19 (was set19), 84 + 84, written by a seventh author the same way and measured once with round 18: recall
  72.6% (61/84), false alarms 13.1% (11/84); round 19's rules were written for it (layer not retrained).
- set20 and set21, 84 + 84 each, written side by side by two more authors the same way and measured once with
  round 19: recall 77.4% (65/84) and 86.9% (73/84), false alarms 8.3% (7/84) and 11.9% (10/84). Never tuned on
  (a retrain with more lines was tried on set 20 and not kept: data/README.md): floors.
- Everyday session talk (data/everyday_session_talk.txt, never trained on) must raise nothing: a panel that
  comes up for "anxious about work" would teach people to ignore it (test_crisis_everyday_talk.py).
"""

import pytest

from tests.therapy.phrase_sets import load, score
from therapy_desktop.therapy.crisis import CrisisKind

TUNED = ["train", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "set12", "set13", "dev15", "dev16", "dev17", "dev18", "dev19"]
# Tuning sets the learned layer was trained on but no rule was written for: floors, not the targets.
LAYER_TUNED = {"dev14": (72 / 84, 5 / 84)}
# Floors: what the system scores on the sets it was never tuned on (only ever raised; round 14).
MEASURED = {"unseen": (76 / 80, 2 / 80), "unseen2": (72 / 80, 0 / 79),
            "set20": (65 / 84, 7 / 84), "set21": (73 / 84, 10 / 84)}


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
    for name in [*TUNED, *LAYER_TUNED, *MEASURED]:
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


@pytest.mark.parametrize("name", [*MEASURED, *LAYER_TUNED])
def test_unseen_sets_are_reported_and_do_not_regress(name):
    result = _report(name)
    meets = result.recall >= 0.95 and result.false_alarm_rate <= 0.05
    print(f"  targets (recall >= 95%, false alarms <= 5%) {'met' if meets else 'NOT met'} on unseen phrasings")
    recall, false_alarms = {**MEASURED, **LAYER_TUNED}[name]
    # One line of slack each way: the sentence vectors are fp32 sums over int8 weights, and a line that
    # sits on a threshold may round the other way on another CPU.
    assert result.recall >= recall - 1 / result.n_crisis - 1e-9
    assert result.false_alarm_rate <= false_alarms + 1 / result.n_benign + 1e-9
