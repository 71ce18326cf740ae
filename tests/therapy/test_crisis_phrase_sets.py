"""The crisis net measured on phrase sets written before tuning (train/test) and after (unseen).

Run with `-s` to see the numbers. The rules were tuned on the train half only.
"""

from tests.therapy.phrase_sets import load, score

from therapy_desktop.therapy.crisis import CrisisKind, classify


def _report(title: str, crisis: str, benign: str):
    result = score(crisis, benign)
    print("\n" + result.line(title))
    for text in result.missed:
        print(f"  missed: {text}")
    for text in result.false_alarms:
        print(f"  false alarm: {text}")
    return result


def test_the_sets_are_big_enough_and_cover_every_kind():
    for part in ("train", "test"):
        crisis, benign = load(f"crisis_{part}.txt"), load(f"benign_{part}.txt")
        assert len(crisis) >= 45 and len(benign) >= 45
        assert {label for label, _ in crisis} == {kind.value for kind in CrisisKind}
    train = {text for _, text in load("crisis_train.txt") + load("benign_train.txt")}
    test = {text for _, text in load("crisis_test.txt") + load("benign_test.txt")}
    assert not train & test


def test_train_half():
    result = _report("train", "crisis_train.txt", "benign_train.txt")
    assert result.recall >= 0.95 and result.false_alarm_rate <= 0.05


def test_test_half_recall_at_least_95_and_false_alarms_at_most_5_percent():
    result = _report("test", "crisis_test.txt", "benign_test.txt")
    assert result.recall >= 0.95
    assert result.false_alarm_rate <= 0.05
