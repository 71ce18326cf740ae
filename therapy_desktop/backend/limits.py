"""The clinic's limits, kept in the database so every instance behind a load balancer agrees.

Each limit is one counter row raised by a conditional UPDATE (`... SET count = count + 1 WHERE
count < limit`). On PostgreSQL the UPDATE takes the row's lock and re-checks the condition on the
newest version of the row, so concurrent starts cannot both take the last slot; SQLite runs one
writer at a time. No read-then-write window exists to race in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from therapy_desktop.backend.errors import DailyLimitReached, StartRateLimited
from therapy_desktop.backend.models import DailySessionCount, TokenStartWindow

WINDOW_SECONDS = 60


def _insert_if_absent(db: Session, table: Any, **values: Any) -> None:
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.execute(insert(table).values(**values, count=0).on_conflict_do_nothing())


def next_utc_midnight(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(0), tzinfo=UTC)


def reserve_daily_session(db: Session, user_id: int, limit: int, now: datetime) -> date:
    """Count one more session for today (UTC) or raise `DailyLimitReached`. Commits."""
    day = now.astimezone(UTC).date()
    _insert_if_absent(db, DailySessionCount, user_id=user_id, day=day)
    counter = DailySessionCount.__table__.c
    raised = db.execute(
        update(DailySessionCount)
        .where(counter.user_id == user_id, counter.day == day, counter.count < limit)
        .values(count=counter.count + 1)
    ).rowcount
    db.commit()
    if raised == 0:
        resets_at = next_utc_midnight(now)
        raise DailyLimitReached(limit, resets_at, max(1, int((resets_at - now).total_seconds())))
    return day


def release_daily_session(db: Session, user_id: int, day: date) -> None:
    """Give back a slot taken by a start that then failed (OpenAI refused, say). Commits."""
    counter = DailySessionCount.__table__.c
    db.execute(
        update(DailySessionCount)
        .where(counter.user_id == user_id, counter.day == day, counter.count > 0)
        .values(count=counter.count - 1)
    )
    db.commit()


def take_start_slot(db: Session, token_id: str, per_minute: int, now: datetime) -> None:
    """Count one start attempt for this token in the current minute or raise `StartRateLimited`. Commits."""
    stamp = int(now.timestamp())
    window = stamp - stamp % WINDOW_SECONDS
    _insert_if_absent(db, TokenStartWindow, token_id=token_id, window_start=window)
    counter = TokenStartWindow.__table__.c
    raised = db.execute(
        update(TokenStartWindow)
        .where(counter.token_id == token_id, counter.window_start == window, counter.count < per_minute)
        .values(count=counter.count + 1)
    ).rowcount
    # Old windows are of no use: drop this token's, so the table stays as small as the traffic.
    db.execute(TokenStartWindow.__table__.delete().where(counter.token_id == token_id, counter.window_start < window))
    db.commit()
    if raised == 0:
        raise StartRateLimited(max(1, window + WINDOW_SECONDS - stamp))
