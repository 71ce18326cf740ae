"""Texts the app must show: what the therapist is, and where to get help in a crisis."""

AI_DISCLOSURE = (
    "You are talking with an AI, not a human and not a licensed therapist. "
    "It can make mistakes and is no substitute for professional care."
)

CRISIS_RESOURCES = (
    "In an emergency call your local emergency number. In the US, call or text 988 "
    "(Suicide & Crisis Lifeline); in the UK and Ireland call Samaritans on 116 123; "
    "elsewhere see findahelpline.com."
)
