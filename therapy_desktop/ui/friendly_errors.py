"""Errors from below arrive as sentences written close to the code; some still read like a
developer's note. This turns the known ones into something a person can act on, and keeps the
original as a detail line for whoever helps them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from therapy_desktop.ui import texts

_LOOPBACK = re.compile(r"\b(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)\b", re.IGNORECASE)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^No OpenAI API key", re.IGNORECASE), texts.ERROR_NO_KEY),
    (re.compile(r"^The API key was not accepted", re.IGNORECASE), texts.ERROR_KEY_REFUSED),
    (re.compile(r"querying device|no (input|default input) device|invalid (input )?device|PortAudio|microphone could not",
                re.IGNORECASE), texts.ERROR_NO_MIC),
    (re.compile(r"keyring|secret ?service|password store", re.IGNORECASE), texts.ERROR_KEYRING),
)
_INTERNET = re.compile(r"check your internet connection", re.IGNORECASE)
_TASK_FAILED = re.compile(r"^Something went wrong while trying to", re.IGNORECASE)


@dataclass(frozen=True)
class FriendlyError:
    sentence: str
    detail: str | None = None  # the original text, when the sentence replaced it


def friendly_error(message: str) -> FriendlyError:
    message = message.strip()
    if not message:
        return FriendlyError(texts.ERROR_GENERIC)
    if _INTERNET.search(message):
        sentence = texts.ERROR_LOCAL_UNREACHABLE if _LOOPBACK.search(message) else texts.ERROR_NO_NETWORK
        return FriendlyError(sentence, message)
    for pattern, sentence in _RULES:
        if pattern.search(message):
            return FriendlyError(sentence, message)
    if _TASK_FAILED.search(message):
        return FriendlyError(texts.ERROR_GENERIC, message)
    return FriendlyError(message)
