"""The sticky crisis flag and the next-session check-in, with a fake clock."""

from datetime import UTC, datetime, timedelta

import pytest

from therapy_desktop.therapy import CrisisFlag, CrisisKind, Net, classify, needs_check_in

T0 = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _session_turn(flag: CrisisFlag, item_id: str, text: str):
    """What the session does with each finished user transcript: classify, record when crisis."""
    result = classify(text)
    if result.is_crisis:
        return flag.record(Net.LOCAL, item_id, kinds=result.kinds)
    return None


def test_the_flag_stays_raised_after_you_misunderstood_and_i_was_joking():
    flag = CrisisFlag(FakeClock())
    change = _session_turn(flag, "item_1", "honestly I don't see a future for myself any more")
    assert change.newly_raised and flag.raised
    for item, text in [("item_2", "you misunderstood"), ("item_3", "I was joking, forget it"), ("item_4", "I'm fine now")]:
        assert _session_turn(flag, item, text) is None
        assert flag.raised
    assert flag.flagged_items == ("item_1",)
    assert not hasattr(flag, "clear") and not hasattr(flag, "reset")


def test_each_net_is_recorded_per_item_and_only_the_first_raises_the_panel():
    clock = FakeClock()
    flag = CrisisFlag(clock)
    first = flag.record(Net.LOCAL, "item_1", kinds=[CrisisKind.PLAN_OR_MEANS])
    clock.advance(seconds=2)
    second = flag.record(Net.MODERATION, "item_1")
    third = flag.record("model_tool", None, reason="talked about pills")
    assert first.newly_raised and not second.newly_raised and not third.newly_raised
    assert second.item_nets == {Net.LOCAL, Net.MODERATION}
    assert flag.nets_for("item_1") == {Net.LOCAL, Net.MODERATION}
    assert flag.nets_for(None) == {Net.MODEL_TOOL}
    assert flag.raised_at == T0
    assert flag.kinds == {CrisisKind.PLAN_OR_MEANS}


def test_a_later_item_is_flagged_on_its_own_even_with_the_panel_already_up():
    flag = CrisisFlag(FakeClock())
    flag.record(Net.LOCAL, "item_1")
    change = flag.record(Net.LOCAL, "item_5")
    assert not change.newly_raised and change.item_nets == {Net.LOCAL}
    assert flag.is_flagged("item_5") and not flag.is_flagged("item_2")
    assert flag.flagged_items == ("item_1", "item_5")


def test_recording_the_same_net_twice_is_idempotent():
    flag = CrisisFlag(FakeClock())
    flag.record(Net.LOCAL, "a")
    flag.record(Net.LOCAL, "a")
    assert len(flag.records) == 1


def test_an_unknown_net_is_refused():
    with pytest.raises(ValueError):
        CrisisFlag(FakeClock()).record("gut_feeling", "a")  # type: ignore[arg-type]


def test_a_naive_clock_is_an_error_not_a_silent_drift():
    flag = CrisisFlag(lambda: datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="time zone"):
        flag.record(Net.LOCAL, "a")


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(timedelta(minutes=5), True), (timedelta(hours=23, minutes=59), True), (timedelta(hours=24), False), (timedelta(days=3), False)],
)
def test_the_next_session_within_24_hours_of_a_flagged_one_opens_with_a_check_in(elapsed, expected):
    assert needs_check_in(T0, T0 + elapsed) is expected


def test_no_flagged_session_means_no_check_in_and_a_clock_set_back_still_checks_in():
    assert not needs_check_in(None, T0)
    assert needs_check_in(T0, T0 - timedelta(hours=1))


def test_the_flag_carries_over_to_a_new_session_as_a_check_in():
    clock = FakeClock()
    first = CrisisFlag(clock)
    _session_turn(first, "item_1", "i've been saving up my pills")
    clock.advance(hours=9)
    second = CrisisFlag(clock)  # the next session: a fresh flag, but the check-in is due
    assert not second.raised
    assert needs_check_in(first.raised_at, clock())
