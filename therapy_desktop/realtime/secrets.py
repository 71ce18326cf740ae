"""`SecretStore` on the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker).

Every keyring call runs on a worker thread with a timeout: an unlock prompt nobody answers, or a
D-Bus service that hangs, must never freeze the window. A worker still stuck after the timeout
is left to finish on its own; the person has already been told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors

from therapy_desktop.realtime.credentials import KEYRING_SERVICE
from therapy_desktop.realtime.secret_store import (
    KeyringAbsent,
    KeyringLocked,
    SecretName,
    SecretStoreError,
    empty_secret,
    keyring_absent,
    keyring_failed,
    keyring_locked,
)
from therapy_desktop.redaction import register_secret

log = logging.getLogger(__name__)

KEYRING_TIMEOUT = 10.0
_T = TypeVar("_T")


class KeyringSecretStore:
    def __init__(self, *, timeout: float = KEYRING_TIMEOUT, service: str = KEYRING_SERVICE) -> None:
        self._timeout = timeout
        self._service = service

    async def save(self, name: SecretName, value: str) -> None:
        value = value.strip()
        if not value:
            raise SecretStoreError(empty_secret(name))
        register_secret(value)  # from now on no log line can print it
        await self._call(name, lambda: keyring.set_password(self._service, name.value, value))

    async def remove(self, name: SecretName) -> None:
        def delete() -> None:
            try:
                keyring.delete_password(self._service, name.value)
            except keyring.errors.PasswordDeleteError:
                pass  # not there: removed is removed

        await self._call(name, delete)

    async def is_saved(self, name: SecretName) -> bool:
        value = await self._call(name, lambda: keyring.get_password(self._service, name.value))
        if value:
            register_secret(value)
        return bool(value and value.strip())

    async def _call(self, name: SecretName, work: Callable[[], _T]) -> _T:
        try:
            return await asyncio.wait_for(asyncio.to_thread(work), self._timeout)
        except asyncio.TimeoutError:
            log.warning("keyring did not answer within %.0f s", self._timeout)
            raise KeyringLocked(keyring_locked(name), detail=f"no answer within {self._timeout:.0f} s") from None
        except keyring.errors.NoKeyringError as exc:
            raise KeyringAbsent(keyring_absent(name), detail=type(exc).__name__) from None
        except keyring.errors.KeyringLocked as exc:
            raise KeyringLocked(keyring_locked(name), detail=type(exc).__name__) from None
        except keyring.errors.InitError as exc:  # e.g. no D-Bus session: the store is as good as absent
            raise KeyringAbsent(keyring_absent(name), detail=type(exc).__name__) from None
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(keyring_failed(name), detail=type(exc).__name__) from None
        except Exception as exc:  # noqa: BLE001 - backends raise D-Bus/OS errors of their own
            if "Locked" in type(exc).__name__ or "Prompt" in type(exc).__name__:  # secretstorage's own
                raise KeyringLocked(keyring_locked(name), detail=type(exc).__name__) from None
            # Only the type: a backend's message may quote what it was asked to store.
            log.warning("keyring call failed: %s", type(exc).__name__, exc_info=True)
            raise SecretStoreError(keyring_failed(name), detail=type(exc).__name__) from None
