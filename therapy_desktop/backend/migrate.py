"""Schema upgrades with Alembic, and the token-signing secret made on the first migration."""

from __future__ import annotations

import secrets
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from therapy_desktop.backend.db import session_factory
from therapy_desktop.backend.models import BackendSecret
from therapy_desktop.backend.settings import sqlalchemy_url

TOKEN_SECRET_NAME = "token_signing_secret"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("therapy_desktop.backend") / "migrations"))
    # ConfigParser interpolation: a password with % in the URL must be escaped.
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def ensure_signing_secret(engine: Engine) -> bool:
    """Store a random signing secret unless one is there; True if this call made it."""
    with session_factory(engine)() as db:
        if db.get(BackendSecret, TOKEN_SECRET_NAME) is not None:
            return False
        db.add(BackendSecret(name=TOKEN_SECRET_NAME, value=secrets.token_urlsafe(48)))
        try:
            db.commit()
        except IntegrityError:  # another instance migrated at the same moment: its secret stands
            return False
    return True


def stored_signing_secret(engine: Engine) -> str | None:
    with session_factory(engine)() as db:
        return db.scalar(select(BackendSecret.value).where(BackendSecret.name == TOKEN_SECRET_NAME))


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head
