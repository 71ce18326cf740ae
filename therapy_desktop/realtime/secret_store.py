"""The interface to the person's secrets (API key, clinic token), without the keyring itself.

The settings dialog gets a `SecretStore` injected; only `realtime/secrets.py` (the composition
root's choice) touches the OS keyring. There is no plaintext fallback anywhere: when the keyring
cannot be used, the person is told so and offered the environment variable instead.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class SecretName(StrEnum):
    OPENAI_API_KEY = "openai-api-key"
    CLINIC_TOKEN = "clinic-backend-token"

    @property
    def environment_variable(self) -> str:
        return {"openai-api-key": "OPENAI_API_KEY", "clinic-backend-token": "THERAPY_DESKTOP_BACKEND_TOKEN"}[self.value]

    @property
    def spoken(self) -> str:
        return {"openai-api-key": "API key", "clinic-backend-token": "clinic token"}[self.value]


# -- the sentences a person sees --------------------------------------------------------------------

def keyring_absent(name: SecretName) -> str:
    return (f"This computer has no password store (keyring) the app can use, so your {name.spoken} cannot be "
            f"saved. Set the environment variable {name.environment_variable} before starting the app instead.")


def keyring_locked(name: SecretName) -> str:
    return (f"Your password store (keyring) is locked or did not answer, so your {name.spoken} could not be "
            f"read or saved. Unlock it (log in again or open your password manager) and try again, or set "
            f"the environment variable {name.environment_variable} before starting the app.")


def keyring_failed(name: SecretName) -> str:
    return (f"Your password store (keyring) refused to keep your {name.spoken}. Try again, or set the "
            f"environment variable {name.environment_variable} before starting the app.")


def empty_secret(name: SecretName) -> str:
    return f"The {name.spoken} is empty. Paste the whole {name.spoken} and press Save."


class SecretStoreError(Exception):
    """`str()` is the sentence for the person; `detail` a short technical line (never the secret)."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class KeyringAbsent(SecretStoreError):
    pass


class KeyringLocked(SecretStoreError):
    pass


class SecretStore(Protocol):
    async def save(self, name: SecretName, value: str) -> None:
        """Store `value`; raises `SecretStoreError`."""
        ...

    async def remove(self, name: SecretName) -> None:
        """Delete it (absent is fine); raises `SecretStoreError`."""
        ...

    async def is_saved(self, name: SecretName) -> bool:
        """Whether the keyring holds it (the value itself is never handed to the UI); raises `SecretStoreError`."""
        ...
