import json

import pytest

from therapy_desktop.therapy import BreathingExercise, SessionSummary, TherapyType, build_instructions, run_tool, tool_definitions
from therapy_desktop.therapy.tools import BREATHING_EXERCISE, END_SESSION_SUMMARY, FLAG_SAFETY_CONCERN


def test_all_three_tools_are_offered_as_ga_function_tools():
    tools = {t["name"]: t for t in tool_definitions()}
    assert set(tools) == {BREATHING_EXERCISE, END_SESSION_SUMMARY, FLAG_SAFETY_CONCERN, "grounding_exercise"}
    for tool in tools.values():
        assert tool["type"] == "function"
        assert tool["parameters"]["type"] == "object"
        assert tool["description"]


def test_tool_definitions_are_a_fresh_copy_each_time():
    first = tool_definitions()
    first[0]["name"] = "changed"
    assert tool_definitions()[0]["name"] == BREATHING_EXERCISE


def test_breathing_exercise_returns_the_pacing_and_its_effect():
    result = run_tool(BREATHING_EXERCISE, "call_1", json.dumps({"pattern": "4-7-8", "cycles": 3}))
    assert result.error is None and not result.ends_session
    assert result.effect == BreathingExercise("4-7-8", 3, (4, 7, 8, 0))
    assert json.loads(result.output_json)["phase_seconds"] == {"inhale": 4, "hold": 7, "exhale": 8, "rest": 0}


def test_breathing_cycles_are_clamped_to_a_sane_range():
    assert run_tool(BREATHING_EXERCISE, "c", '{"pattern": "box", "cycles": 99}').effect.cycles == 10
    assert run_tool(BREATHING_EXERCISE, "c", '{"pattern": "box", "cycles": 0}').effect.cycles == 1


def test_summary_ends_the_session_and_keeps_the_summary():
    args = {"summary": "We talked about work.", "key_topics": ["work"], "suggested_next_steps": ["rest"]}
    result = run_tool(END_SESSION_SUMMARY, "call_2", json.dumps(args))
    assert result.ends_session
    assert result.effect == SessionSummary("We talked about work.", ("work",), ("rest",), "")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        (BREATHING_EXERCISE, "{not json"),
        (BREATHING_EXERCISE, '{"pattern": "square"}'),
        (BREATHING_EXERCISE, "[1, 2]"),
        ("make_coffee", "{}"),
    ],
)
def test_bad_calls_answer_the_model_with_an_error_instead_of_raising(name, arguments):
    result = run_tool(name, "call_x", arguments)
    assert result.error and result.effect is None and not result.ends_session
    assert json.loads(result.output_json) == {"ok": False, "error": result.error}


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_instructions_present_the_therapist_as_an_ai_and_name_the_focus(therapy):
    text = build_instructions(therapy)
    assert "You are an AI" in text
    assert "never claim or imply to be a human" in text
    assert "licensed therapist" in text
    assert "988" in text  # crisis resources
    assert therapy.value in text.lower() or therapy is TherapyType.GENERAL


@pytest.mark.parametrize(
    "arguments",
    ['{"pattern": "box", "cycles": 1e999}', "[" * 100_000 + "]" * 100_000],
    ids=["overflow", "deep-nesting"],
)
def test_hostile_arguments_still_get_an_answer_instead_of_an_exception(arguments):
    result = run_tool(BREATHING_EXERCISE, "call_h", arguments)
    assert result.error and json.loads(result.output_json)["ok"] is False


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('{"summary": "ok", "key_topics": "work"}', SessionSummary("ok", ("work",))),
        ('{"summary": "  ", "suggested_next_steps": ["rest", "", 3]}', SessionSummary("", (), ("rest", "3"))),
        ('{"key_topics": ["sleep"], "what_helped": "the breathing"}',
         SessionSummary("", ("sleep",), what_helped=("the breathing",))),
        ('{}', SessionSummary("")),
    ],
)
def test_a_summary_is_taken_leniently_and_still_ends_the_session(arguments, expected):
    result = run_tool(END_SESSION_SUMMARY, "call_s", arguments)
    assert result.error is None and result.ends_session
    assert result.effect == expected


def test_grounding_shows_five_steps_counted_down():
    from therapy_desktop.therapy import GroundingExercise
    from therapy_desktop.therapy.grounding import GROUNDING_EXERCISE

    result = run_tool(GROUNDING_EXERCISE, "call_g", "{}")
    assert isinstance(result.effect, GroundingExercise) and not result.ends_session
    assert [s.count for s in result.effect.steps] == [5, 4, 3, 2, 1]
    assert result.output["steps"][0] == "5 things you can see"
    assert GROUNDING_EXERCISE in [t["name"] for t in tool_definitions()]
