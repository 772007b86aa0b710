"""One-time login URLs: the desktop launcher opens the browser on `/auth/launch?token=...`.

Only a hash of the token is stored; a token works once, within its lifetime. Any process that can
write the data dir's database (the running app, or a second launch of it) can mint one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from vidjil_local.db import Database

TOKEN_LIFETIME = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(database: Database, lifetime: timedelta = TOKEN_LIFETIME) -> str:
    token = secrets.token_urlsafe(32)
    created = datetime.now(UTC)
    with database.write() as db:
        db.execute("DELETE FROM login_tokens WHERE expires_at < ?", [created.isoformat()])
        db.table("login_tokens").insert(
            {
                "token_hash": _hash(token),
                "created_at": created.isoformat(),
                "expires_at": (created + lifetime).isoformat(),
            }
        )
    return token


def consume(database: Database, token: str) -> bool:
    """True once for a valid, unexpired token; False for anything else."""
    moment = datetime.now(UTC).isoformat()
    with database.write() as db:
        cursor = db.execute(
            "UPDATE login_tokens SET used_at = ? "
            "WHERE token_hash = ? AND used_at IS NULL AND expires_at >= ?",
            [moment, _hash(token), moment],
        )
        return cursor.rowcount == 1
