"""Texts the app must show about what the companion is and where to find help. One place for them.

Read each as someone in distress would: short, warm, concrete. The companion is an AI companion for
self-help, never a therapist by profession. Region-specific numbers live in `resources.py`.
"""

from therapy_desktop.therapy.resources import crisis_resources

# The standing notice (window footer / banner).
AI_DISCLOSURE = (
    "You are talking with an AI companion, not a human and not a licensed therapist. "
    "It can get things wrong, and it is no substitute for professional care or for emergency help."
)

# Shown again (and spoken by the companion) at session start, every 3 hours, after 7 days away,
# and whenever the person asks whether they are talking to a human.
DISCLOSURE_LINE = "Just so you know: I'm an AI companion, not a human and not a licensed therapist."

# The first words the companion is asked to say in every session (the Demo engine says the same).
GREETING = (
    "Hi, I'm glad you're here. I'm an AI companion, not a human and not a licensed therapist, "
    "so I can listen and help you think things through, but I can't replace professional care. "
    "What's on your mind today?"
)

# The crisis panel, raised when any net flags a crisis. The session keeps going underneath it.
CRISIS_PANEL_TITLE = "You don't have to go through this alone"
CRISIS_PANEL_BODY = (
    "It sounds like things are really hard right now. Talking to a person can help, right now or any time. "
    "These lines are free and confidential. You can keep talking here too."
)
CRISIS_PANEL_SAFETY_PLAN_BUTTON = "Open my safety plan"
CRISIS_PANEL_CHANGE_REGION = "Not in {region_name}? Choose your country"

# The card at the start of the next session within 24 hours of a flagged one.
CHECK_IN_TITLE = "Checking in"
CHECK_IN_BODY = (
    "Last time we talked, things sounded really heavy. How are you doing right now? "
    "If you need someone today, these lines are there for you."
)

# Kept for the window's footer; the US/UK default until the region is known (see resources.py).
CRISIS_RESOURCES = (
    "In an emergency call your local emergency number. In the US, call or text 988 "
    "(Suicide & Crisis Lifeline); in the UK and Ireland call Samaritans on 116 123; "
    "elsewhere see findahelpline.com."
)


def crisis_resources_text(region: str | None) -> str:
    """The footer/banner line for a region: its emergency number, its lines, findahelpline.com."""
    return crisis_resources(region).summary
