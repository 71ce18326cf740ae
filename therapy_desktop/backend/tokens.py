"""Bearer tokens: HMAC-signed, expiring, revocable.

A token is `tdb1.<token id>.<expiry, unix seconds>.<signature>`. The signature (HMAC-SHA256 with
the backend's secret) proves the server issued it without a lookup; the token id names a row in
`api_tokens`, which is how a token is revoked. The token itself is never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from therapy_desktop.backend.errors import TokenRejected
from therapy_desktop.backend.models import ApiToken, User, utcnow

PREFIX = "tdb1"
_SHAPE = re.compile(r"^tdb1\.([0-9a-f]{32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: str
    expires_at: datetime

    def __repr__(self) -> str:  # never print the token itself
        return f"IssuedToken(token_id={self.token_id!r}, expires_at={self.expires_at.isoformat()})"


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user and the token they used."""

    user_id: int
    user_name: str
    token_id: str


def _signature(secret: str, token_id: str, expires: int) -> str:
    mac = hmac.new(secret.encode(), f"{PREFIX}.{token_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def issue_token(db: Session, secret: str, user: User, *, days: float | None = None,
                expires_at: datetime | None = None) -> IssuedToken:
    """A new token for `user`, valid `days` days (or until `expires_at`). Commits."""
    if expires_at is None:
        if days is None or days <= 0:
            raise ValueError("a token needs a positive number of days")
        expires_at = utcnow() + timedelta(days=days)
    expires_at = expires_at.replace(microsecond=0)
    token_id = secrets.token_hex(16)
    expires = int(expires_at.timestamp())
    db.add(ApiToken(id=token_id, user_id=user.id, expires_at=expires_at))
    db.commit()
    return IssuedToken(f"{PREFIX}.{token_id}.{expires}.{_signature(secret, token_id, expires)}", token_id, expires_at)


def parse_token_id(token: str) -> str | None:
    """The id inside a well-formed token (for `revoke-token`), or None."""
    match = _SHAPE.match(token.strip())
    return match.group(1) if match else None


def verify_token(db: Session, secret: str, token: str | None) -> Principal:
    """The principal a token stands for, or `TokenRejected` saying why not."""
    if not token:
        raise TokenRejected("missing")
    match = _SHAPE.match(token)
    if match is None:
        raise TokenRejected("malformed")
    token_id, expires, signature = match.group(1), int(match.group(2)), match.group(3)
    if not hmac.compare_digest(signature, _signature(secret, token_id, expires)):
        raise TokenRejected("forged")
    now = utcnow()
    if expires <= now.timestamp():
        raise TokenRejected("expired")
    row = db.execute(
        select(ApiToken, User.name).join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)
    ).first()
    if row is None:
        raise TokenRejected("unknown")
    record, user_name = row
    if record.revoked_at is not None:
        raise TokenRejected("revoked")
    if record.expires_at <= now:
        raise TokenRejected("expired")
    return Principal(record.user_id, user_name, record.id)


def revoke_token(db: Session, token_id: str) -> bool:
    """Revoke one token by id; False if there is no such (unrevoked) token. Commits."""
    result = db.execute(
        update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    db.commit()
    return result.rowcount > 0


def revoke_user_tokens(db: Session, user_id: int) -> int:
    """Revoke every token of a user; how many were revoked. Commits."""
    result = db.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    db.commit()
    return result.rowcount
