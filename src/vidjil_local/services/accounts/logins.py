"""Logging in: the first administrator, password checks with lockout, the logged-in user.

A failed login counts against the account; after `max_wrong` in a row it is locked until an
administrator unlocks it (`users.unlock`). Every attempt leaves an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied
from vidjil_local.services import audit
from vidjil_local.services.accounts.members import add_member, create_group, create_user
from vidjil_local.services.accounts.passwords import hash_password, verify_password
from vidjil_local.services.authz import ADMIN_GROUP, RIGHTS


class AccountLocked(PermissionDenied):
    """Refused login of a locked account; an administrator unlocks it."""

    code = "account_locked"


@dataclass(frozen=True)
class User:
    id: int
    email: str
    first_name: str
    last_name: str
    locked: bool
    created_at: str
    last_login_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> User:
        return cls(
            id=row["id"],
            email=row["email"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            locked=row["locked_at"] is not None,
            created_at=row["created_at"],
            last_login_at=row["last_login_at"],
        )


HAS_ADMIN = (
    "SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = ? LIMIT 1"
)


def has_administrator(database: Database) -> bool:
    """Whether the first start is over. Accounts made before it (the metrics account of the
    settings) do not count: the set-up page stays open until an administrator exists."""
    return database.db().execute(HAS_ADMIN, [ADMIN_GROUP]).fetchone() is not None


def create_first_admin(
    database: Database,
    email: str,
    password: str,
    *,
    first_name: str = "",
    last_name: str = "",
    client_address: str = "",
) -> int:
    """The one-time set-up: only while there is no administrator (no default password
    anywhere)."""
    with database.write() as db:
        if db.execute(HAS_ADMIN, [ADMIN_GROUP]).fetchone():
            raise Conflict("the administrator account already exists")
        user_id = create_user(db, email, password, first_name, last_name)
        admin_group = db.execute("SELECT id FROM groups WHERE name = ?", [ADMIN_GROUP]).fetchone()
        group_id = (
            int(admin_group[0])
            if admin_group
            else create_group(db, ADMIN_GROUP, "administrators: every right on everything", RIGHTS)
        )
        add_member(db, user_id, group_id)
        audit.record(
            db, audit.Actor(user_id, email, client_address), "create_admin", "users", user_id
        )
    return user_id


def load_user(database: Database, user_id: int) -> User:
    rows = list(database.db().query("SELECT * FROM users WHERE id = ?", [user_id]))
    if not rows:
        raise NotFound(f"no user {user_id}", user_id=user_id)
    return User.from_row(rows[0])


def authenticate(
    database: Database, email: str, password: str, max_wrong: int, client_address: str = ""
) -> User:
    """Check a password; count failures; lock the account after `max_wrong` in a row.

    The failure count and its audit rows are committed before the error is raised.
    """
    with database.write() as db:
        refusal = _check_login(db, email, password, max_wrong, client_address)
    if isinstance(refusal, Exception):
        raise refusal
    return load_user(database, refusal)


def _check_login(
    db: sqlite_utils.Database, email: str, password: str, max_wrong: int, address: str
) -> int | Exception:
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [email.strip()]))
    if not rows:
        hash_password(password)  # same cost as a real check: no user enumeration by timing
        audit.record(db, audit.Actor(None, email, address), "login_failed", "users")
        return NotAuthenticated("wrong e-mail or password")
    row = rows[0]
    actor = audit.Actor(row["id"], row["email"], address)
    if row["locked_at"] is not None:
        audit.record(db, actor, "login_refused_locked", "users", row["id"])
        return AccountLocked("this account is locked: ask an administrator to unlock it")
    if not verify_password(row["password_hash"], password):
        failures = row["failed_logins"] + 1
        locked = now() if failures >= max_wrong else None
        db.execute(
            "UPDATE users SET failed_logins = ?, locked_at = ? WHERE id = ?",
            [failures, locked, row["id"]],
        )
        audit.record(db, actor, "login_failed", "users", row["id"], failures=failures)
        if locked:
            audit.record(db, actor, "account_locked", "users", row["id"])
            return AccountLocked("too many wrong passwords: this account is now locked")
        return NotAuthenticated("wrong e-mail or password")
    db.execute(
        "UPDATE users SET failed_logins = 0, last_login_at = ? WHERE id = ?", [now(), row["id"]]
    )
    audit.record(db, actor, "login", "users", row["id"])
    return int(row["id"])
