"""Rows of users, groups, rights and memberships, written inside the caller's transaction.

Groups own sample sets and carry rights (read, create, upload, run, save, admin, anon), as in
Vidjil. Members of the group named "admin" are administrators. Each user gets a personal group.
The app must always keep one administrator able to log in (`refuse_losing_last_admin`).
"""

from __future__ import annotations

import sqlite_utils

from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, UsageError
from vidjil_local.services.accounts.passwords import check_password_strength, hash_password
from vidjil_local.services.authz import ADMIN_GROUP, RIGHTS

PERSONAL_RIGHTS = ("read", "create", "upload", "run", "save", "admin", "anon")


def check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise UsageError(f"not an e-mail address: {email!r}")
    return email


def create_user(
    db: sqlite_utils.Database,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> int:
    """Insert a user with a personal group holding the usual rights; inside the caller's write."""
    email = check_email(email)
    check_password_strength(password, email, first_name, last_name)
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
                "password_hash": hash_password(password),
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
    name = name.strip()
    if not name:
        raise UsageError("a group needs a name")
    if db.execute("SELECT 1 FROM groups WHERE name = ?", [name]).fetchone():
        raise Conflict(f"a group named {name!r} already exists", name=name)
    group_id = int(
        db.table("groups")
        .insert(
            {
                "name": name,
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


def active_admin_ids(db: sqlite_utils.Database) -> set[int]:
    """Administrators who can log in now (a locked admin does not count)."""
    rows = db.execute(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id "
        "JOIN groups g ON g.id = m.group_id WHERE g.name = ? AND u.locked_at IS NULL",
        [ADMIN_GROUP],
    ).fetchall()
    return {int(row[0]) for row in rows}


def refuse_losing_last_admin(db: sqlite_utils.Database, user_id: int, doing: str) -> None:
    if active_admin_ids(db) == {user_id}:
        raise Conflict(
            f"cannot {doing} the last administrator who can log in: "
            "make another user an administrator first",
            user_id=user_id,
        )
