"""Logging in: the first administrator, password checks, the logged-in user.

Wrong passwords slow the account and the client address down (`throttles.py`), never lock an
account for good: only an administrator locks one (`users.lock`). A login from the desktop
launcher's page (`trusted`: whoever opened it can run the app on this computer) is not slowed
down, so an administrator at the machine always gets in. Every attempt leaves an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied
from vidjil_local.services import audit
from vidjil_local.services.accounts import throttles
from vidjil_local.services.accounts.members import add_member, create_group, create_user
from vidjil_local.services.accounts.passwords import hash_password, verify_password
from vidjil_local.services.authz import ADMIN_GROUP, RIGHTS
from vidjil_local.settings import Settings


class AccountLocked(PermissionDenied):
    """Refused login of an account an administrator locked; an administrator unlocks it."""

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
    database: Database,
    settings: Settings,
    email: str,
    password: str,
    client_address: str = "",
    *,
    trusted: bool = False,
    moment: datetime | None = None,
) -> User:
    """Check a password, unless the account or the address must wait; count a wrong one.

    The counts and their audit rows are committed before the error is raised.
    """
    attempt = Attempt(email.strip(), client_address, moment or datetime.now(UTC), trusted)
    with database.write() as db:
        outcome = _check_login(db, throttles.Policy.of(settings), attempt, password)
    if isinstance(outcome, Exception):
        raise outcome
    return load_user(database, outcome)


@dataclass(frozen=True)
class Attempt:
    email: str
    address: str
    moment: datetime
    trusted: bool


def _check_login(
    db: sqlite_utils.Database, policy: throttles.Policy, attempt: Attempt, password: str
) -> int | Exception:
    anonymous = audit.Actor(None, attempt.email, attempt.address)
    if not attempt.trusted:
        waiting = throttles.refusal(db, attempt.email, attempt.address, attempt.moment)
        if waiting is not None:
            audit.record(db, anonymous, "login_throttled", "users", **waiting.details)
            return waiting
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [attempt.email]))
    if not rows:
        hash_password(password)  # same cost as a real check: no user enumeration by timing
        return _wrong_password(db, policy, attempt, anonymous, None)
    row = rows[0]
    actor = audit.Actor(row["id"], row["email"], attempt.address)
    if row["locked_at"] is not None:
        audit.record(db, actor, "login_refused_locked", "users", row["id"])
        return AccountLocked("this account is locked: ask an administrator to unlock it")
    if not verify_password(row["password_hash"], password):
        return _wrong_password(db, policy, attempt, actor, row["id"])
    throttles.record_success(db, attempt.email)
    db.execute(
        "UPDATE users SET failed_logins = 0, last_login_at = ? WHERE id = ?", [now(), row["id"]]
    )
    audit.record(db, actor, "login", "users", row["id"])
    return int(row["id"])


def _wrong_password(
    db: sqlite_utils.Database,
    policy: throttles.Policy,
    attempt: Attempt,
    actor: audit.Actor,
    user_id: int | None,
) -> NotAuthenticated:
    waiting: list[str] = []
    if not attempt.trusted:
        waiting = throttles.record_failure(
            db, policy, attempt.email, attempt.address, attempt.moment
        )
    audit.record(db, actor, "login_failed", "users", user_id, slowed_down=waiting)
    return NotAuthenticated("wrong e-mail or password")
