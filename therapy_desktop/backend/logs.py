"""Logging without secrets: bearer tokens, clinic tokens and OpenAI keys are masked in every record."""

from __future__ import annotations

import logging
import re

_SECRETS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"()\btdb1\.[0-9a-f]{8,}[A-Za-z0-9._-]*"),
    re.compile(r"()\bsk-[A-Za-z0-9_-]{6,}"),
    re.compile(r"()\bek_[A-Za-z0-9_-]{6,}"),
]


def mask_secrets(text: str) -> str:
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: m.group(1) + "[redacted]", text)
    return text


class SecretMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            # The traceback is formatted later from the exception, whose text may quote a request: mask it now.
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, SecretMaskingFilter) for f in handler.filters):
            handler.addFilter(SecretMaskingFilter())
    # Alembic narrates every connection at INFO; only `migrate` wants to hear it.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
