"""Sentences the session shows the person, in one place (ready for translation; never built
from pieces in logic code)."""

MALFORMED_MESSAGE_SKIPPED = "The service sent a message the app could not read; it was skipped."
SERVICE_REPORTED = "The realtime service reported: {message}"
RESPONSE_FAILED = "The AI companion could not answer: {message}."
CONNECTION_LOST_KEPT = "{error} Your conversation so far is kept."
RECONNECT_GAVE_UP = (
    "The connection could not be restored ({error}). Your conversation so far is kept and saved. "
    "Check your network, then choose Try again to carry on, or End session."
)
START_FAILED = "Could not start the session ({kind}: {detail})."
CONNECTION_NOT_RESTORED = "The voice connection could not be set up again."
DAILY_LIMIT_REACHED = (
    "You have had {limit} sessions today, the daily limit. You can start a new one after midnight "
    "({reset:%H:%M} on {reset:%A}). If you need someone to talk to now, a crisis line is always open."
)

# How tool cards and markers read in the saved history and its exports.
RECORD_BREATHING = "Guided breathing: {pattern}, {cycles} cycles"
RECORD_GROUNDING = "Grounding: 5 things seen, 4 heard, 3 touched, 2 smelled, 1 tasted"
RECORD_SUMMARY = "The AI companion summarised the session"
RECORD_TOOL_FAILED = "A tool of the AI companion failed ({name})"
RECORD_RENEWED = "Connection renewed; the conversation carried on"
