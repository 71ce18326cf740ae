"""The engine's two HTTP requests checked before use: the `client_secrets` body (GA
`ClientSecretCreateParams`) and the SDP offer of `/calls`. Bounds that keep a client from making
the engine hold more than it should."""

from __future__ import annotations

from typing import Any

from therapy_desktop.engine.session_schema import SessionConfigError, describe

MAX_BODY = 256 * 1024  # any request body; a session with long instructions and tools is ~20 KB
MAX_SDP = 64 * 1024  # a real offer is 2–4 KB
MAX_LIVE_SECRETS = 1000  # minted, unexpired keys kept at once
DEFAULT_SECONDS = 600


def secret_request(body: Any) -> tuple[int, Any]:
    """`(expires_after.seconds, session)` from a parsed body, or `SessionConfigError`."""
    if not isinstance(body, dict):
        raise SessionConfigError(f"Invalid type for the body: expected an object, but got {describe(body)} instead.",
                                 "body", "invalid_type")
    for key in body:
        if key not in ("expires_after", "session"):
            raise SessionConfigError(f"Unknown parameter: '{str(key)[:80]}'.", str(key)[:80], "unknown_parameter")
    seconds = _seconds(body.get("expires_after"))
    session = body.get("session")
    return seconds, {"type": "realtime"} if session is None else session


def _seconds(expires_after: Any) -> int:
    if expires_after is None:
        return DEFAULT_SECONDS
    if not isinstance(expires_after, dict):
        raise SessionConfigError(f"Invalid type for 'expires_after': expected an object, but got "
                                 f"{describe(expires_after)} instead.", "expires_after", "invalid_type")
    for key, value in expires_after.items():
        if key == "anchor":
            if value != "created_at":
                raise SessionConfigError("Invalid value for 'expires_after.anchor': expected 'created_at'.",
                                         "expires_after.anchor")
        elif key != "seconds":
            raise SessionConfigError(f"Unknown parameter: 'expires_after.{str(key)[:80]}'.",
                                     f"expires_after.{str(key)[:80]}", "unknown_parameter")
    seconds = expires_after.get("seconds", DEFAULT_SECONDS)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 10 <= seconds <= 7200:
        raise SessionConfigError("expires_after.seconds must be an integer between 10 and 7200.",
                                 "expires_after.seconds")
    return seconds


def sdp_problem(offer: str) -> str | None:
    """What makes `offer` unusable as a Realtime call's offer, or None. aiortc checks the rest."""
    if not offer.startswith("v=0"):
        return "it must start with 'v=0'."
    if "\x00" in offer:
        return "it contains a NUL character."
    sections = [line.split()[0][2:] for line in offer.splitlines() if line.startswith("m=") and len(line) > 2]
    if "audio" not in sections:
        return "it needs an audio section (m=audio)."
    if "application" not in sections:
        return "it needs a data channel (m=application) for the oai-events channel."
    if sections.count("audio") > 1 or sections.count("application") > 1:
        return "it must have one audio section and one data channel."
    return None
