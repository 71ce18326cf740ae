"""Secrets in the OS keyring. Reads block (a locked keyring may prompt): call them off the loop."""

from __future__ import annotations

import asyncio
import logging
import os

import keyring
import keyring.errors

from therapy_desktop.redaction import register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "therapy-desktop"
OPENAI_API_KEY = "openai-api-key"
CLINIC_BACKEND_TOKEN = "clinic-backend-token"

_ENVIRONMENT_OVERRIDES = {OPENAI_API_KEY: "OPENAI_API_KEY", CLINIC_BACKEND_TOKEN: "THERAPY_DESKTOP_BACKEND_TOKEN"}


def read_secret(name: str) -> str | None:
    """The secret `name` from its environment override or the keyring; None if absent or unreadable."""
    env = os.environ.get(_ENVIRONMENT_OVERRIDES.get(name, ""), "").strip()
    if env:
        register_secret(env)
        return env
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.NoKeyringError:
        log.info("no system keyring on this machine; %s is read from the environment only", name)
        return None
    except keyring.errors.KeyringError as exc:
        log.warning("The keyring could not be read (%s); treating %s as not set", type(exc).__name__, name)
        return None
    if not value or not value.strip():
        return None
    register_secret(value)
    return value.strip()


def store_secret(name: str, value: str) -> None:
    keyring.set_password(KEYRING_SERVICE, name, value)
    register_secret(value)


def delete_secret(name: str) -> bool:
    """Remove `name` from the keyring; False when it was not there."""
    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        return False
    return True


async def read_secret_async(name: str, timeout: float = 10.0) -> str | None:
    """`read_secret` on a worker thread, giving up after `timeout` seconds (an unanswered unlock prompt)."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(read_secret, name), timeout)
    except asyncio.TimeoutError:
        log.warning("The keyring did not answer within %.0f s; treating %s as not set", timeout, name)
        return None
