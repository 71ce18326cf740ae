"""The Stanley-Brown safety plan: JSON round trip, Markdown export, clear errors for bad files."""

import json

import pytest

from therapy_desktop.therapy.safety_plan import STEPS, Contact, SafetyPlan, SafetyPlanError

PLAN = SafetyPlan(
    warning_signs=("I stop answering my phone", "Lying awake past 3 am"),
    coping_strategies=("A walk round the block", "Cold water on my face"),
    distractions=("The library café", Contact("Aunt Jo", "0400 000 000")),
    people_to_ask=(Contact("Sam", "07700 900123", "evenings"),),
    professionals=(Contact("Dr Patel", "020 7946 0000", "GP"), Contact("Samaritans", "116 123")),
    safe_environment=("Give the spare pills to Sam to keep",),
    updated_at="2026-03-01T20:00:00+00:00",
)


def test_the_six_stanley_brown_steps_in_order():
    assert [name for name, _, _ in STEPS] == [
        "warning_signs", "coping_strategies", "distractions", "people_to_ask", "professionals", "safe_environment",
    ]


def test_json_round_trip_keeps_everything():
    assert SafetyPlan.from_json(PLAN.to_json()) == PLAN
    assert json.loads(PLAN.to_json())["version"] == 1


def test_an_empty_plan_round_trips_and_says_it_is_empty():
    assert SafetyPlan().is_empty and not PLAN.is_empty
    assert SafetyPlan.from_json(SafetyPlan().to_json()) == SafetyPlan()


def test_markdown_has_every_step_heading_and_entry():
    md = PLAN.to_markdown()
    assert md.startswith("# My safety plan")
    for _, heading, _ in STEPS:
        assert f"## {heading}" in md
    assert "- Sam (07700 900123, evenings)" in md
    assert "- Give the spare pills to Sam to keep" in md
    assert "emergency number" in md


def test_markdown_escapes_what_the_person_wrote():
    plan = SafetyPlan(warning_signs=("# not a heading *or bold* [link](x)",))
    assert "- \\# not a heading \\*or bold\\* \\[link\\](x)" in plan.to_markdown()


def test_an_empty_step_says_so_in_the_export():
    assert "- (nothing written yet)" in SafetyPlan().to_markdown()


def test_with_step_validates_like_a_file():
    plan = SafetyPlan().with_step("people_to_ask", [Contact("Mum", "123")])
    assert plan.people_to_ask == (Contact("Mum", "123"),)
    with pytest.raises(SafetyPlanError, match="no step"):
        SafetyPlan().with_step("reasons", ["x"])
    with pytest.raises(SafetyPlanError, match="empty"):
        SafetyPlan().with_step("warning_signs", ["   "])


def test_a_plain_name_in_a_people_step_becomes_a_contact():
    data = json.loads(SafetyPlan().to_json())
    data["people_to_ask"] = ["Mum"]
    assert SafetyPlan.from_json(json.dumps(data)).people_to_ask == (Contact("Mum"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "damaged"),
        ("[]", "expected format"),
        ('{"version": 99}', "newer or unknown version"),
        ('{"warning_signs": []}', "newer or unknown version"),
        ('{"version": 1, "warning_signs": "x"}', "damaged section"),
        ('{"version": 1, "warning_signs": [1]}', "not text"),
        ('{"version": 1, "warning_signs": ["' + "x" * 600 + '"]}', "longer than"),
        ('{"version": 1, "warning_signs": [' + ",".join(['"x"'] * 51) + "]}", "at most 50"),
    ],
)
def test_a_bad_file_is_a_sentence_not_a_crash(text, message):
    with pytest.raises(SafetyPlanError, match=message):
        SafetyPlan.from_json(text)
