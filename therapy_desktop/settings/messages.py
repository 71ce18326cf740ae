"""Every sentence about settings that a person may see (one place, for wording and translation)."""

from __future__ import annotations

UNKNOWN_MODEL = "Choose one of the listed models."
UNKNOWN_VOICE = "Choose one of the listed voices."
UNKNOWN_TRANSCRIPTION = "Choose one of the listed transcription models."
THRESHOLD = "The speech threshold must be between 0 and 1."
PADDING = "The speech lead-in must be between 0 and 2000 ms."
SILENCE = "The pause that ends a turn must be between 100 and 5000 ms."
IDLE = "The idle prompt must be between 5 and 600 seconds, or off."
SPEED = "The speaking speed must be between 0.25 and 1.5."
BASE_URL = "The API address must be a web address starting with https:// (or http:// for this computer only)."
URL_WITH_PASSWORD = "Remove the user name and password from the address: secrets belong in the keyring fields."
LOOKS_LIKE_SECRET = "This looks like a key or token. Put it in the key field, where it is kept in the system keyring."
UNREADABLE_FILE = "Your settings file could not be read, so the defaults are used. It was kept as {name}."


def cannot_save(folder: str, reason: str) -> str:
    return f"Your settings could not be saved in {folder} ({reason}). Check that the folder is writable."
