"""Local accounts: the first admin, users, passwords (argon2), login with lockout, groups.

Groups own sample sets and carry rights (read, create, upload, run, save, admin, anon), as in
Vidjil. Members of the group named "admin" are administrators. Each user gets a personal group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vidjil_local.db import Database
from vidjil_local.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, UsageError
from vidjil_local.services import audit
from vidjil_local.services.clock import now

RIGHTS = ("read", "create", "upload", "run", "save", "admin", "anon")
ADMIN_GROUP = "admin"
PERSONAL_RIGHTS = ("read", "create", "upload", "run", "save", "admin", "anon")
MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


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


def check_password_strength(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) < 4 or (email and password.lower() in email.lower()):
        raise UsageError("the password is too easy to guess")


def check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise UsageError(f"not an e-mail address: {email!r}")
    return email


def has_users(database: Database) -> bool:
    return database.db().execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def create_user(
    db: sqlite_utils.Database,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> int:
    """Insert a user with a personal group holding the usual rights; inside the caller's write."""
    email = check_email(email)
    check_password_strength(password, email)
    if db.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
        raise Conflict(f"a user with e-mail {email} already exists", email=email)
    moment = now()
    user_id = int(
        db.table("users")
        .insert(
            {
                "email": email,
                "first_name": first_name.strip(),
                "last_name": last_name.strip(),
                "password_hash": _hasher.hash(password),
                "created_at": moment,
                "password_changed_at": moment,
            }
        )
        .last_pk
        or 0
    )
    group_id = create_group(db, f"user_{user_id}", f"personal group of {email}", PERSONAL_RIGHTS)
    add_member(db, user_id, group_id)
    return user_id


def create_group(
    db: sqlite_utils.Database,
    name: str,
    description: str = "",
    rights: tuple[str, ...] | list[str] = (),
    parent_id: int | None = None,
) -> int:
    if not name.strip():
        raise UsageError("a group needs a name")
    if db.execute("SELECT 1 FROM groups WHERE name = ?", [name]).fetchone():
        raise Conflict(f"a group named {name!r} already exists", name=name)
    group_id = int(
        db.table("groups")
        .insert(
            {
                "name": name.strip(),
                "description": description,
                "parent_id": parent_id,
                "created_at": now(),
            }
        )
        .last_pk
        or 0
    )
    set_rights(db, group_id, rights)
    return group_id


def set_rights(
    db: sqlite_utils.Database, group_id: int, rights: tuple[str, ...] | list[str]
) -> None:
    unknown = sorted(set(rights) - set(RIGHTS))
    if unknown:
        raise UsageError(f"unknown right(s): {', '.join(unknown)}", rights=list(RIGHTS))
    db.execute("DELETE FROM group_rights WHERE group_id = ?", [group_id])
    for right in rights:
        db.execute("INSERT INTO group_rights (group_id, name) VALUES (?, ?)", [group_id, right])


def add_member(db: sqlite_utils.Database, user_id: int, group_id: int) -> None:
    db.execute(
        "INSERT OR IGNORE INTO memberships (user_id, group_id) VALUES (?, ?)", [user_id, group_id]
    )


def create_first_admin(
    database: Database,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    client_address: str = "",
) -> int:
    """The one-time set-up: only while there is no user at all (no default password anywhere)."""
    with database.write() as db:
        if db.execute("SELECT 1 FROM users LIMIT 1").fetchone():
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


def get_user(database: Database, user_id: int) -> User:
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
    return get_user(database, refusal)


def _check_login(
    db: sqlite_utils.Database, email: str, password: str, max_wrong: int, address: str
) -> int | Exception:
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [email.strip()]))
    if not rows:
        _hasher.hash(password)  # same cost as a real check: no user enumeration by timing
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


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def unlock(database: Database, actor: audit.Actor, user_id: int) -> User:
    with database.write() as db:
        cursor = db.execute(
            "UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE id = ?", [user_id]
        )
        if cursor.rowcount != 1:
            raise NotFound(f"no user {user_id}", user_id=user_id)
        audit.record(db, actor, "unlock_user", "users", user_id)
    return get_user(database, user_id)


def set_password(database: Database, actor: audit.Actor, user_id: int, password: str) -> None:
    user = get_user(database, user_id)
    check_password_strength(password, user.email)
    with database.write() as db:
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            [_hasher.hash(password), now(), user_id],
        )
        audit.record(db, actor, "set_password", "users", user_id)
