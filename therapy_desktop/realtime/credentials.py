"""Secrets in the OS keyring. Reads block (a locked keyring may prompt): call them off the loop."""

from __future__ import annotations

import asyncio
import logging
import os

import keyring
import keyring.errors

from therapy_desktop.realtime.errors import CredentialsMissing
from therapy_desktop.realtime.secret_store import SecretName, keyring_absent, keyring_locked
from therapy_desktop.redaction import register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "therapy-desktop"
OPENAI_API_KEY = "openai-api-key"
CLINIC_BACKEND_TOKEN = "clinic-backend-token"

_ENVIRONMENT_OVERRIDES = {OPENAI_API_KEY: "OPENAI_API_KEY", CLINIC_BACKEND_TOKEN: "THERAPY_DESKTOP_BACKEND_TOKEN"}


class KeyringUnusable(CredentialsMissing):
    """The keyring could not be read at all (absent, locked, no answer): not the same as "no key"."""


def read_secret(name: str, *, explain: bool = False) -> str | None:
    """The secret `name` from its environment override or the keyring; None if absent.

    An unusable keyring is None too, unless `explain`: then `KeyringUnusable` says why in a
    sentence for the person (offering the environment variable)."""
    env = os.environ.get(_ENVIRONMENT_OVERRIDES.get(name, ""), "").strip()
    if env:
        register_secret(env)
        return env
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
        log.info("no usable keyring on this machine (%s); %s is read from the environment only", type(exc).__name__, name)
        if explain:
            raise KeyringUnusable(keyring_absent(SecretName(name)), detail=type(exc).__name__) from None
        return None
    except Exception as exc:  # noqa: BLE001 - KeyringLocked, D-Bus errors of the backend
        log.warning("The keyring could not be read (%s); treating %s as not set", type(exc).__name__, name)
        if explain:
            raise KeyringUnusable(keyring_locked(SecretName(name)), detail=type(exc).__name__) from None
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


async def read_secret_async(name: str, timeout: float = 10.0, *, explain: bool = False) -> str | None:
    """`read_secret` on a worker thread, giving up after `timeout` seconds (an unanswered unlock prompt)."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(read_secret, name, explain=explain), timeout)
    except asyncio.TimeoutError:
        log.warning("The keyring did not answer within %.0f s; treating %s as not set", timeout, name)
        if explain:
            raise KeyringUnusable(keyring_locked(SecretName(name)), detail=f"no answer within {timeout:.0f} s") from None
        return None
