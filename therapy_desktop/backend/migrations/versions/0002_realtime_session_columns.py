"""The original design's migration: add the realtime session id and the key expiry to an existing
sessions table, back-fill the id of the rows already there, then make the id non-null.

Rows from before this revision never had a Realtime session id recorded; they get
`legacy-<session id>`, so the column can be NOT NULL and still say where the value came from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEGACY_PREFIX = "legacy-"


def upgrade() -> None:
    with op.batch_alter_table("therapy_sessions") as batch:
        batch.add_column(sa.Column("realtime_session_id", sa.String(128), nullable=True))
        batch.add_column(sa.Column("ephemeral_key_expires_at", sa.DateTime(timezone=True), nullable=True))
    sessions = sa.table("therapy_sessions", sa.column("id", sa.String()), sa.column("realtime_session_id", sa.String()))
    op.execute(
        sessions.update()
        .where(sessions.c.realtime_session_id.is_(None))
        .values(realtime_session_id=sa.literal(LEGACY_PREFIX) + sessions.c.id)
    )
    with op.batch_alter_table("therapy_sessions") as batch:
        batch.alter_column("realtime_session_id", existing_type=sa.String(128), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("therapy_sessions") as batch:
        batch.drop_column("ephemeral_key_expires_at")
        batch.drop_column("realtime_session_id")
