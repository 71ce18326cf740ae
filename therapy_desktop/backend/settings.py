"""The backend's settings: the environment, or a `.env` file in the working directory."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The same model as the desktop's default (therapy_desktop.realtime.session_config.DEFAULT_MODEL).
DEFAULT_REALTIME_MODEL = "gpt-realtime"
DEFAULT_DATABASE_URL = "sqlite:///therapy-desktop-backend.db"


class BackendSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    openai_api_key: SecretStr | None = None
    openai_base_url: str = "https://api.openai.com/v1"
    openai_realtime_model: str = DEFAULT_REALTIME_MODEL
    openai_realtime_voice: str = "marin"
    openai_transcription_model: str = "gpt-4o-mini-transcribe"
    openai_max_daily_sessions: int = Field(50, ge=1)
    openai_max_session_duration_minutes: int = Field(30, ge=1)
    database_url: str = DEFAULT_DATABASE_URL
    # Signs bearer tokens. When unset, `migrate` generates one and stores it in the database.
    backend_token_secret: SecretStr | None = None
    backend_starts_per_minute: int = Field(10, ge=1)  # per token
    backend_max_body_bytes: int = Field(16 * 1024, ge=1024)
    # How long a minted client secret may be used to *start* a call (OpenAI allows 10-7200 s).
    backend_client_secret_seconds: int = Field(600, ge=10, le=7200)
    backend_upstream_timeout_seconds: float = Field(15.0, gt=0)

    @field_validator("openai_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _sqlalchemy_driver(cls, value: str) -> str:
        return sqlalchemy_url(value)

    @property
    def max_session_seconds(self) -> int:
        return self.openai_max_session_duration_minutes * 60


def sqlalchemy_url(database_url: str) -> str:
    """`postgresql://` and `postgres://` (what hosting services hand out) mean psycopg 3 here."""
    value = database_url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value
