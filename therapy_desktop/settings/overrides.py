"""Environment variables that win over a setting (the README's overrides), so the dialog can say so."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvironmentOverride:
    field: str  # the dialog's field: a Settings field name, or "openai_api_key" / "clinic_token"
    variable: str
    shown_value: str  # what the dialog may display: never a secret's value

    def sentence(self) -> str:
        return f"Set by the environment variable {self.variable}: {self.shown_value}. It wins over this field."


_VARIABLES = {
    "mode": "THERAPY_DESKTOP_MODE",
    "openai_base_url": "OPENAI_BASE_URL",
    "backend_url": "THERAPY_DESKTOP_BACKEND_URL",
    "openai_api_key": "OPENAI_API_KEY",
    "clinic_token": "THERAPY_DESKTOP_BACKEND_TOKEN",
}
_SECRET_FIELDS = {"openai_api_key", "clinic_token"}


def environment_overrides(environ: dict[str, str] | None = None) -> dict[str, EnvironmentOverride]:
    """The fields an environment variable currently overrides, by field name."""
    env = os.environ if environ is None else environ
    found = {}
    for name, variable in _VARIABLES.items():
        value = env.get(variable, "").strip()
        if value:
            shown = "a value is set (hidden)" if name in _SECRET_FIELDS else value
            found[name] = EnvironmentOverride(name, variable, shown)
    return found
