"""flag_safety_concern as a tool the session can act on, and the companion's instructions."""

import json
import re

import pytest

from therapy_desktop.therapy import (
    FIRST_RESPONSE_INSTRUCTIONS,
    REDISCLOSE_INSTRUCTIONS,
    SafetyConcern,
    TherapyType,
    build_instructions,
    run_tool,
    tool_definitions,
)
from therapy_desktop.therapy.tools import FLAG_SAFETY_CONCERN


def test_the_tool_schema_asks_for_a_level_and_a_reason():
    tool = next(t for t in tool_definitions() if t["name"] == FLAG_SAFETY_CONCERN)
    assert tool["parameters"]["required"] == ["level", "reason"]
    assert tool["parameters"]["properties"]["level"]["enum"] == ["concern", "crisis"]


def test_a_crisis_flag_is_an_effect_the_session_can_act_on_and_does_not_end_the_session():
    result = run_tool(FLAG_SAFETY_CONCERN, "call_9", json.dumps({"level": "crisis", "reason": "talked about   a plan"}))
    assert result.error is None and not result.ends_session
    assert result.effect == SafetyConcern("crisis", "talked about a plan")
    assert result.effect.is_crisis
    output = json.loads(result.output_json)
    assert output["ok"] and output["level"] == "crisis" and "do not end the session" in output["note"]


def test_a_concern_is_not_a_crisis():
    result = run_tool(FLAG_SAFETY_CONCERN, "c", '{"level": "concern", "reason": "sounded hopeless"}')
    assert result.effect == SafetyConcern("concern", "sounded hopeless") and not result.effect.is_crisis


@pytest.mark.parametrize("arguments", ['{"level": "severe", "reason": "x"}', '{"reason": "x"}', "{}"])
def test_a_malformed_level_still_counts_as_a_concern(arguments):
    # The model meant to flag something; dropping it would be the worse mistake.
    result = run_tool(FLAG_SAFETY_CONCERN, "c", arguments)
    assert result.error is None and result.effect.level == "concern"


def test_unparseable_arguments_are_an_error_output_not_an_exception():
    result = run_tool(FLAG_SAFETY_CONCERN, "c", "{oops")
    assert result.error and result.effect is None and json.loads(result.output_json)["ok"] is False


def test_a_long_reason_is_cut_short():
    result = run_tool(FLAG_SAFETY_CONCERN, "c", json.dumps({"level": "crisis", "reason": "x" * 5000}))
    assert len(result.effect.reason) == 500


@pytest.mark.parametrize("therapy", list(TherapyType))
def test_instructions_say_ai_companion_speak_first_and_carry_the_crisis_protocol(therapy):
    text = build_instructions(therapy)
    assert "AI companion" in text and "not a human" in text and "not a licensed therapist" in text
    assert "Speak first" in text
    assert "whether you are a human" in text
    for step in ("stay calm", "take it seriously", "stop any exercise", "emergency services", "crisis line", "Never end the conversation"):
        assert step in text
    assert "flag_safety_concern" in text
    assert len(text.encode()) < 16_000  # one data-channel message, far below 64 KiB


def test_instructions_do_not_confuse_the_demo_engine_about_the_session_kind():
    # The engine picks its script by counting "anxi" and "stress" in the instructions.
    general = build_instructions(TherapyType.GENERAL).lower()
    assert "anxi" not in general and "stress" not in general


def test_the_first_response_and_the_reminder_say_what_the_companion_is():
    for text in (FIRST_RESPONSE_INSTRUCTIONS, REDISCLOSE_INSTRUCTIONS):
        assert "AI companion" in text and "not a human" in text and "not a licensed therapist" in text


def _user_facing_texts():
    from therapy_desktop.therapy import consent, resources, safety, safety_plan, types

    texts = [build_instructions(t) for t in TherapyType] + [FIRST_RESPONSE_INSTRUCTIONS, REDISCLOSE_INSTRUCTIONS]
    for module in (safety, consent, safety_plan):
        texts += [v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)]
    texts += [p for section in consent.CONSENT_SECTIONS for p in section]
    texts += [h + " " + q for _, h, q in safety_plan.STEPS]
    texts += [json.dumps(tool_definitions())]
    texts += [resources.crisis_resources(r).summary for r in (*resources.REGIONS, "")]
    texts += [f"{p.title} {p.blurb} {p.focus}" for p in types.THERAPY_PROFILES.values()]
    return texts


def test_no_user_facing_string_in_therapy_presents_a_therapist_by_profession():
    # "therapist" may appear only to say what the companion is not (or to ask about it).
    allowed_before = ("not a licensed ", "not a ", "never call yourself a ", "a real ", "not a real ", "a clinician or a licensed ")
    offenders = []
    for text in _user_facing_texts():
        for match in re.finditer(r"therapist", text, re.IGNORECASE):
            before = text[: match.start()]
            if not before.endswith(allowed_before):
                offenders.append(text[max(0, match.start() - 40) : match.end() + 10])
    assert not offenders
