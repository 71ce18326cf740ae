"""What the app tells the model about the session itself (not said by the person): time limits
and exercises on screen. Model-facing text, kept beside the instructions it complements."""

from __future__ import annotations

TIME_NEARLY_UP = (
    "About {minutes} minutes of this session remain. At a natural pause, gently let the person know, "
    "and begin moving towards a close."
)
TIME_UP = (
    "The session has reached its time limit. Gently bring it to a close now: call end_session_summary "
    "with what the person actually said, then say a warm goodbye."
)
EXERCISE_COMPLETED = "The person finished the {name} on screen ({cycles} of {total} cycles)."
EXERCISE_STOPPED = "The person stopped the {name} on screen after {cycles} of {total} cycles."
