"""The ways to connect. A plain enum: the UI may name it without reaching any credential."""

from __future__ import annotations

from enum import StrEnum


class ConnectMode(StrEnum):
    DEMO = "demo"  # the offline engine on this machine
    OPENAI = "openai"  # OpenAI's service, with the person's API key
    BACKEND = "backend"  # the clinic's server mints the key (its OpenAI key never reaches this machine)
