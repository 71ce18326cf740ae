"""Keep secrets out of logs and error messages: by value (every key and token the app holds is
registered the moment it is read or minted, whatever it looks like) and by pattern (the shapes
of OpenAI keys, ephemeral keys and bearer headers, for secrets that were never ours)."""

from __future__ import annotations

import logging
import re
import threading

_TOKEN = r"[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*"  # dots inside a key, not a sentence's full stop
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(rf"\bsk-{_TOKEN}"),
    re.compile(rf"\bek_{_TOKEN}"),
    re.compile(r"\btdb1\.[0-9a-f]{32}\.\S+"),  # a clinic backend token
]
MARKER = "[redacted]"
MIN_SECRET_LENGTH = 8  # shorter values would redact ordinary words

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """From now on, `value` is redacted wherever it appears (API key, clinic token, ephemeral key)."""
    if value and len(value.strip()) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value.strip())


def redact(text: str) -> str:
    """`text` with every registered secret, API key, ephemeral key and bearer token replaced."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: one secret may contain another
    for value in known:
        if value in text:
            text = text.replace(value, MARKER)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MARKER, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts every record's final message (arguments included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later from the exception: redact its text now.
            exc = record.exc_info[1]
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
            record.msg = f"{record.msg} ({type(exc).__name__})"
        return True


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the redacting filter to every handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
