"""Every sentence and label the history shows a person (exports, the history command), in one place."""

from __future__ import annotations

from therapy_desktop.storage.records import SessionStatus

YOU = "You"
COMPANION = "AI companion"

TITLE = "Session on {date}"
TYPE = "Type"
CONNECTION = "Connection"
DURATION = "Duration"
MOOD = "Mood"
MOOD_VALUE = "{before} → {after} (out of 10)"
MOOD_NOT_GIVEN = "not given"
STATUS = "Status"
FLAGS = "Flags"
USAGE = "Usage"
USAGE_VALUE = "{total} tokens ({input} in, {output} out)"
COST = "Cost"
COST_VALUE = "about ${cost} (an estimate at OpenAI's list prices; your OpenAI bill is the real figure)"
COST_TINY = "less than $0.0001"
COST_UNKNOWN = "no estimate for this session (no list price known for what it used)"
COST_DEMO = "none — Demo runs on this computer"
COST_CLINIC = "paid by your clinic, not estimated here"
NO_FLAGS = "none"
STILL_RUNNING = "still running"

SUMMARY = "Summary"
KEY_TOPICS = "Key topics"
WHAT_HELPED = "What helped"
NEXT_STEPS = "Suggested next steps"
MOOD_OBSERVATION = "Mood observation"
NO_SUMMARY = "No summary was saved for this session."

TRANSCRIPT = "Transcript"
NO_TRANSCRIPT = "Nothing was said in this session."
INTERRUPTED_ITEM = "(cut off)"

FOOTER = "Written by an AI companion for self-help — not a human, not a licensed therapist."

STATUS_WORDS: dict[SessionStatus, str] = {
    SessionStatus.CREATED: "not started",
    SessionStatus.ACTIVE: "in progress",
    SessionStatus.ENDED: "ended",
    SessionStatus.ERROR: "ended by an error",
    SessionStatus.INTERRUPTED: "interrupted — the app stopped unexpectedly; everything said until then is here",
}

MODE_WORDS = {"demo": "Demo (offline)", "openai": "OpenAI", "backend": "Clinic backend", "clinic": "Clinic backend"}
FLAG_WORDS = {"crisis": "crisis support shown"}

# The history command's table and messages.
TABLE_HEADINGS = ("Started", "Type", "Mode", "Duration", "Mood", "Status", "Flags", "Session id")
NO_SESSIONS = "No sessions in the history yet."


def duration(seconds: float | None) -> str:
    if seconds is None:
        return STILL_RUNNING
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def cost(mode: str, estimated_usd: float | None, tokens: int) -> str | None:
    """The cost line for a session, or None when there is nothing to say. Demo costs nothing;
    with a Clinic backend the clinic pays under its own terms, so a list price would mislead;
    with the person's own key, the estimate (or that there is none)."""
    if mode == "demo":
        return COST_DEMO
    if mode in ("backend", "clinic"):
        return COST_CLINIC
    if mode != "openai" or not tokens:
        return None
    if estimated_usd is None:
        return COST_UNKNOWN
    if estimated_usd < 0.00005:
        return COST_TINY if estimated_usd > 0 else COST_VALUE.format(cost="0")
    return COST_VALUE.format(cost=f"{estimated_usd:.4f}" if estimated_usd < 1 else f"{estimated_usd:.2f}")


def mood(before: int | None, after: int | None) -> str:
    if before is None and after is None:
        return MOOD_NOT_GIVEN
    return MOOD_VALUE.format(before=before if before is not None else "–", after=after if after is not None else "–")
