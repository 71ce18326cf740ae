"""The first-run consent text, its version, and whether a stored acceptance still counts.

`CONSENT_VERSION` is derived from the text itself, so any change to a word asks everyone again;
the headings and paragraphs are what the consent screen shows, in order.
"""

from __future__ import annotations

import hashlib

CONSENT_TITLE = "Before we start"

CONSENT_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "What this is",
        "Therapy Desktop is an AI companion for self-help. You talk with an AI, not a human. It is not a "
        "licensed therapist or a doctor, it does not diagnose or prescribe, and it can get things wrong.",
    ),
    (
        "Not for emergencies",
        "If you are in danger or might hurt yourself or someone else, please call your local emergency "
        "number or a crisis line now. In the US and Canada call or text 988; in the UK and Ireland call "
        "Samaritans on 116 123; in Australia call Lifeline on 13 11 14; in New Zealand call or text 1737; "
        "anywhere else, findahelpline.com lists free lines. The app shows these again if it hears you "
        "are struggling.",
    ),
    (
        "What stays on this computer",
        "Your session history and transcripts, your mood check-ins, your safety plan and your settings "
        "are stored only on this computer, in your user account. Keys and tokens are kept in your "
        "system's password store.",
    ),
    (
        "What is sent where",
        "Demo mode: nothing leaves this computer; the companion runs here. "
        "OpenAI mode: your voice and the words of the conversation are sent to OpenAI to produce the "
        "companion's replies, under OpenAI's terms. "
        "Clinic mode: your clinic's server starts and ends each session and keeps its own record of "
        "your sessions, as your clinic explains to you; your voice and the words of the conversation "
        "are sent to OpenAI, as in OpenAI mode.",
    ),
    (
        "Deleting everything",
        "You can delete all of it at any time: choose Delete everything in the app's menu, or run "
        "therapy-desktop forget --all --yes. This removes your history, mood check-ins, safety plan, "
        "settings, logs and this consent, and, if you agree, your stored keys. The app then starts "
        "fresh, as on the first day.",
    ),
)

CONSENT_ACCEPT = "I understand, continue"
CONSENT_DECLINE = "Not now"
CONSENT_DECLINED_NOTE = "You can read this again and accept whenever you are ready. Sessions start after that."
CONSENT_REQUIRED_HEADLESS = (
    "Therapy Desktop needs you to accept its terms first: run it once with the window, or pass "
    "--accept-terms (or set THERAPY_DESKTOP_ACCEPT_TERMS=1) if you have read them."
)


def consent_text() -> str:
    """The whole text as plain paragraphs (headless display, and the source of the version)."""
    body = "\n\n".join(f"{heading}\n{paragraph}" for heading, paragraph in CONSENT_SECTIONS)
    return f"{CONSENT_TITLE}\n\n{body}"


CONSENT_VERSION = "1-" + hashlib.sha256(consent_text().encode("utf-8")).hexdigest()[:12]


def needs_consent(stored_version: str | None) -> bool:
    """True unless the person accepted exactly this text (no acceptance, or an older text)."""
    return stored_version != CONSENT_VERSION
