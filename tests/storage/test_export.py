"""A session's Markdown reads well; its HTML is escaped everywhere."""

from __future__ import annotations

import dataclasses
from datetime import UTC

from therapy_desktop.storage import (
    ItemKind,
    ItemStatus,
    SessionRecord,
    SessionStatus,
    SummaryRecord,
    Usage,
    to_html,
    to_markdown,
)

from .conftest import item

SESSION = SessionRecord(
    session_id="s1",
    therapy_type="anxiety",
    mode="openai",
    started_at=1_796_133_600.0,  # 2026-12-01 14:00 UTC
    ended_at=1_796_133_600.0 + 725,
    status=SessionStatus.ENDED,
    end_reason="summary",
    mood_before=4,
    mood_after=7,
    summary=SummaryRecord("We looked at exam worry.", ("exams", "sleep"), ("box breathing",), ("a walk at lunch",), "calmer"),
    flags=("crisis",),
    usage=Usage(1200, 800, 2000),
    estimated_cost_usd=0.0123,
)
ITEMS = [
    item("s1", 0, "I can't stop *worrying* about my exams."),
    item("s1", 1, "That sounds exhausting. Shall we", status=ItemStatus.INTERRUPTED),
    item("s1", 2, "Box breathing, 4 cycles", role="", kind=ItemKind.TOOL, tool_card={"name": "breathing_exercise"}),
    item("s1", 3, "", role="", kind=ItemKind.TOOL, tool_card={"title": "Grounding: 5-4-3-2-1"}),
    item("s1", 4, "Connection renewed", role="", kind=ItemKind.NOTICE),
    item("s1", 5, "Yes, please.", role="user"),
]


def test_markdown_has_the_facts_the_summary_and_the_transcript_in_order() -> None:
    text = to_markdown(SESSION, ITEMS, tz=UTC)
    assert text.startswith("# Session on 1 December 2026, 14:00 (UTC)\n")
    for line in (
        "- **Type:** Anxiety",
        "- **Connection:** OpenAI",
        "- **Duration:** 12 min 5 s",
        "- **Mood:** 4 → 7 (out of 10)",
        "- **Status:** ended",
        "- **Flags:** crisis support shown",
        "- **Usage:** 2000 tokens (1200 in, 800 out)",
        "- **Cost:** about $0.0123 (an estimate at OpenAI's list prices; your OpenAI bill is the real figure)",
        "## Summary",
        "We looked at exam worry.",
        "### Key topics",
        "- exams",
        "### What helped",
        "- box breathing",
        "### Suggested next steps",
        "- a walk at lunch",
        "### Mood observation",
        "**You:** I can't stop \\*worrying\\* about my exams.",
        "**AI companion:** That sounds exhausting. Shall we *(cut off)*",
        "*Box breathing, 4 cycles*",
        "*Grounding: 5-4-3-2-1*",
        "*Connection renewed*",
        "**You:** Yes, please.",
    ):
        assert line in text.splitlines(), line
    order = [text.index(s) for s in ("exams.", "Shall we", "Box breathing,", "Grounding", "renewed", "Yes, please")]
    assert order == sorted(order)
    assert "therapist" not in text.replace("not a licensed therapist", "")


def test_an_interrupted_session_without_summary_still_reads_well() -> None:
    session = SessionRecord("s2", "general", "demo", 1_796_133_600.0, SessionStatus.INTERRUPTED,
                            ended_at=1_796_133_660.0, end_reason="crash")
    text = to_markdown(session, [], tz=UTC)
    assert "- **Status:** interrupted — the app stopped unexpectedly; everything said until then is here" in text
    assert "- **Mood:** not given" in text and "- **Flags:** none" in text
    assert "*No summary was saved for this session.*" in text
    assert "*Nothing was said in this session.*" in text
    assert "Usage" not in text  # no tokens, no line


def test_the_cost_line_says_what_the_person_pays_in_each_mode() -> None:
    def cost_line(mode: str, cost: float | None, tokens: int = 2000) -> str | None:
        session = dataclasses.replace(SESSION, mode=mode, estimated_cost_usd=cost, usage=Usage(tokens // 2, tokens // 2, tokens))
        lines = [line for line in to_markdown(session, [], tz=UTC).splitlines() if line.startswith("- **Cost:**")]
        return lines[0].removeprefix("- **Cost:** ") if lines else None

    assert cost_line("demo", 0.0) == "none — Demo runs on this computer"
    assert cost_line("demo", None, tokens=0) == "none — Demo runs on this computer"
    assert cost_line("backend", None) == "paid by your clinic, not estimated here"
    assert cost_line("openai", None) == "no estimate for this session (no list price known for what it used)"
    assert cost_line("openai", 1.23456).startswith("about $1.23 (")
    assert cost_line("openai", 0.00001).startswith("less than $0.0001")
    assert cost_line("openai", None, tokens=0) is None  # nothing used, nothing to say
    assert cost_line("someday", 0.5) is None


def test_a_clinic_session_names_its_connection() -> None:
    session = dataclasses.replace(SESSION, mode="backend")
    assert "- **Connection:** Clinic backend" in to_markdown(session, [], tz=UTC).splitlines()


def test_markdown_keeps_what_people_type_from_becoming_layout() -> None:
    text = to_markdown(SESSION, [item("s1", 0, "# not a heading\n> not a quote [link](x) <b>")], tz=UTC)
    assert "**You:** \\# not a heading  \n\\> not a quote \\[link\\](x) \\<b>" in text


def test_html_escapes_every_piece_of_text() -> None:
    hostile = "<script>alert('x')</script> & \"quotes\""
    session = SessionRecord(
        "s3", "<b>type</b>", "<i>mode</i>", 1_796_133_600.0, SessionStatus.ENDED, ended_at=1_796_133_700.0,
        summary=SummaryRecord(hostile, (hostile,), (hostile,), (hostile,), hostile), flags=("<flag>",),
    )
    page = to_html(session, [item("s3", 0, hostile), item("s3", 1, hostile, role="", kind=ItemKind.NOTICE)], tz=UTC)
    assert "<script>" not in page and "<b>type</b>" not in page and "<i>mode</i>" not in page and "<flag>" not in page
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;") == 7
    assert "<p><b>You:</b> &lt;script&gt;" in page
    assert "<h2>Transcript</h2>" in page
