"""User accounts as administrators manage them: the list, registration (there is no self sign-up),
profile edits, password resets and changes, locking and unlocking.

Every change is audited. The app must always keep one administrator able to log in, so the last
unlocked member of the `admin` group can be neither locked nor removed from that group.
"""

from __future__ import annotations

from typing import Any

import msgspec
import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, NotFound, PermissionDenied, UsageError
from vidjil_local.services import audit
from vidjil_local.services.accounts import members, throttles
from vidjil_local.services.accounts.passwords import (
    check_password_strength,
    hash_password,
    verify_password,
)
from vidjil_local.services.authz import ADMIN_GROUP

PROFILE_FIELDS = ("email", "first_name", "last_name")
MAX_NAME_LENGTH = 200


class GroupRef(msgspec.Struct):
    id: int
    name: str


class UserSummary(msgspec.Struct):
    id: int
    email: str
    first_name: str
    last_name: str
    groups: list[GroupRef]
    is_admin: bool
    locked: bool
    locked_at: str | None
    failed_logins: int  # wrong passwords in a row (they slow logins down, never lock)
    throttled_until: str | None  # logins wait until then (too many wrong passwords)
    created_at: str
    last_login_at: str | None
    sets_created: int
    samples_uploaded: int
    bytes_uploaded: int


USERS_SQL = """
SELECT u.id, u.email, u.first_name, u.last_name, u.locked_at, u.created_at, u.last_login_at,
    coalesce(t.failures, 0) AS failed_logins, t.throttled_until,
    (SELECT count(*) FROM sample_sets s WHERE s.created_by = u.id) AS sets_created,
    (SELECT count(*) FROM samples m WHERE m.uploaded_by = u.id AND m.status != 'deleted')
        AS samples_uploaded,
    (SELECT coalesce(sum(m.size + coalesce(m.size2, 0)), 0) FROM samples m
        WHERE m.uploaded_by = u.id AND m.status != 'deleted') AS bytes_uploaded
FROM users u LEFT JOIN login_throttles t ON t.key = 'account:' || lower(u.email)
"""


def list_users(database: Database) -> list[UserSummary]:
    db = database.db()
    groups = _groups_by_user(db)
    return [_summary(row, groups.get(row["id"], [])) for row in db.query(USERS_SQL + "ORDER BY id")]


def get_user(database: Database, user_id: int) -> UserSummary:
    db = database.db()
    rows = list(db.query(USERS_SQL + "WHERE u.id = ?", [user_id]))
    if not rows:
        raise NotFound(f"no user {user_id}", user_id=user_id)
    return _summary(rows[0], _groups_by_user(db, user_id).get(user_id, []))


def _groups_by_user(
    db: sqlite_utils.Database, user_id: int | None = None
) -> dict[int, list[GroupRef]]:
    where, args = ("WHERE m.user_id = ?", [user_id]) if user_id is not None else ("", [])
    rows = db.execute(
        f"SELECT m.user_id, g.id, g.name FROM memberships m JOIN groups g ON g.id = m.group_id "
        f"{where} ORDER BY g.name",
        args,
    ).fetchall()
    groups: dict[int, list[GroupRef]] = {}
    for member, group_id, name in rows:
        groups.setdefault(int(member), []).append(GroupRef(int(group_id), str(name)))
    return groups


def _summary(row: dict[str, Any], groups: list[GroupRef]) -> UserSummary:
    return UserSummary(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        groups=groups,
        is_admin=any(group.name == ADMIN_GROUP for group in groups),
        locked=row["locked_at"] is not None,
        locked_at=row["locked_at"],
        failed_logins=row["failed_logins"],
        throttled_until=row["throttled_until"],
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
        sets_created=row["sets_created"],
        samples_uploaded=row["samples_uploaded"],
        bytes_uploaded=row["bytes_uploaded"],
    )


def register(
    database: Database,
    actor: audit.Actor,
    profile: dict[str, str],
    password: str,
    group_ids: list[int],
) -> UserSummary:
    """An administrator creates an account (`profile`: email, first_name, last_name), with its
    personal group and the chosen groups."""
    names = {field: _name(profile, field) for field in ("first_name", "last_name")}
    with database.write() as db:
        for group_id in group_ids:
            _require_group(db, group_id)
        user_id = members.create_user(db, profile.get("email", ""), password, **names)
        for group_id in group_ids:
            members.add_member(db, user_id, group_id)
        audit.record(db, actor, "create_user", "users", user_id, groups=sorted(group_ids))
    return get_user(database, user_id)


def _require_group(db: sqlite_utils.Database, group_id: int) -> None:
    if db.execute("SELECT 1 FROM groups WHERE id = ?", [group_id]).fetchone() is None:
        raise UsageError(f"no group {group_id}", group_id=group_id)


def _name(profile: dict[str, str], field: str) -> str:
    value = profile.get(field, "").strip()
    if len(value) > MAX_NAME_LENGTH:
        raise UsageError(f"{field} is too long (at most {MAX_NAME_LENGTH} characters)")
    return value


def update_profile(
    database: Database, actor: audit.Actor, user_id: int, changes: dict[str, str]
) -> UserSummary:
    """Change names and e-mail; the e-mail stays unique (it is the login)."""
    get_user(database, user_id)
    values = {field: _name(changes, field) for field in changes if field != "email"}
    if "email" in changes:
        values["email"] = members.check_email(changes["email"])
    with database.write() as db:
        if "email" in values and _email_taken(db, values["email"], user_id):
            raise Conflict(f"a user with e-mail {values['email']} already exists")
        if values:
            db.table("users").update(user_id, values)
            audit.record(db, actor, "update_user", "users", user_id, fields=sorted(values))
    return get_user(database, user_id)


def _email_taken(db: sqlite_utils.Database, email: str, user_id: int) -> bool:
    row = db.execute("SELECT 1 FROM users WHERE email = ? AND id != ?", [email, user_id])
    return row.fetchone() is not None


def reset_password(database: Database, actor: audit.Actor, user_id: int, password: str) -> None:
    """An administrator sets a new password (the user forgot theirs); the policy still applies."""
    set_password(database, actor, user_id, password)


def change_own_password(
    database: Database, actor: audit.Actor, user_id: int, current: str, new: str
) -> None:
    """A user replaces their password, proving they know the current one."""
    row = database.db().execute("SELECT password_hash FROM users WHERE id = ?", [user_id])
    stored = row.fetchone()
    if stored is None:
        raise NotFound(f"no user {user_id}", user_id=user_id)
    if not verify_password(str(stored[0]), current):
        audit.record_now(
            database, actor, "change_password_refused", table_name="users", record_id=user_id
        )
        raise PermissionDenied("the current password is wrong")
    if new == current:
        raise UsageError("the new password must differ from the current one")
    set_password(database, actor, user_id, new)


def lock(database: Database, actor: audit.Actor, user_id: int) -> UserSummary:
    """Disable an account (it can no longer log in) until an administrator unlocks it."""
    with database.write() as db:
        row = db.execute("SELECT locked_at FROM users WHERE id = ?", [user_id]).fetchone()
        if row is None:
            raise NotFound(f"no user {user_id}", user_id=user_id)
        if row[0] is None:
            members.refuse_losing_last_admin(db, user_id, "lock")
            db.execute("UPDATE users SET locked_at = ? WHERE id = ?", [now(), user_id])
            audit.record(db, actor, "lock_user", "users", user_id)
    return get_user(database, user_id)


def unlock(database: Database, actor: audit.Actor, user_id: int) -> UserSummary:
    """Let an account log in again: unlocked, and its wrong passwords forgotten."""
    with database.write() as db:
        row = db.execute("SELECT email FROM users WHERE id = ?", [user_id]).fetchone()
        if row is None:
            raise NotFound(f"no user {user_id}", user_id=user_id)
        db.execute("UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE id = ?", [user_id])
        throttles.lift(db, email=str(row[0]))
        audit.record(db, actor, "unlock_user", "users", user_id)
    return get_user(database, user_id)


def unlock_on_this_computer(database: Database, email: str) -> UserSummary:
    """`vidjil-local users unlock EMAIL`: whoever can run the app here gets the account back,
    the wrong passwords of every address forgotten too (theirs is among them)."""
    row = database.db().execute("SELECT id FROM users WHERE email = ?", [email.strip()])
    found = row.fetchone()
    if found is None:
        raise NotFound(f"no account with the e-mail {email.strip()}", email=email)
    with database.write() as db:
        throttles.lift(db, addresses=True)
    return unlock(database, audit.Actor(None, "command line", "this computer"), int(found[0]))


def login_throttles(database: Database) -> list[throttles.Throttle]:
    """Accounts and addresses slowed down by wrong passwords now, or with one in the last hour."""
    return throttles.current(database.db())


def lift_login_throttles(database: Database, actor: audit.Actor) -> int:
    """Forget every count of wrong passwords, of accounts and of addresses."""
    with database.write() as db:
        lifted = throttles.lift_all(db)
        audit.record(db, actor, "lift_login_throttles", "users", lifted=lifted)
    return lifted


def set_password(database: Database, actor: audit.Actor, user_id: int, password: str) -> None:
    """A new password; every login of the account made with the old one ends with it."""
    user = get_user(database, user_id)
    check_password_strength(password, user.email, user.first_name, user.last_name)
    with database.write() as db:
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            [hash_password(password), now(), user_id],
        )
        audit.record(db, actor, "set_password", "users", user_id)
