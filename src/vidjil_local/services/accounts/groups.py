"""Groups as administrators manage them: list, create, edit rights, delete, invite and kick.

Deleting is refused when it would lose something: the `admin` group, the personal group of an
existing user, or a group that is the only owner of sample sets (those sets would be readable by
administrators only). Every change of rights or members is audited.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.errors import Conflict, NotFound, UsageError
from vidjil_local.services import audit
from vidjil_local.services.accounts import members
from vidjil_local.services.authz import ADMIN_GROUP, RIGHTS

# Vidjil's one-letter display of rights; `read` has no letter there
LETTERS = {"create": "c", "upload": "u", "run": "r", "save": "s", "admin": "e", "anon": "a"}
PERSONAL_NAME = re.compile(r"user_(\d+)")
LISTED_SETS = 10  # sample set ids quoted in a refusal


class GroupSummary(msgspec.Struct):
    id: int
    name: str
    description: str
    parent_id: int | None
    parent_name: str | None
    rights: list[str]
    letters: str
    member_count: int
    set_count: int
    personal_user_id: int | None  # the user whose personal group this is
    created_at: str


class Member(msgspec.Struct):
    id: int
    email: str
    first_name: str
    last_name: str
    locked: bool
    last_login_at: str | None


class GroupDetail(msgspec.Struct):
    group: GroupSummary
    members: list[Member]


GROUPS_SQL = """
SELECT g.id, g.name, g.description, g.parent_id, p.name AS parent_name, g.created_at,
    (SELECT count(*) FROM memberships m WHERE m.group_id = g.id) AS member_count,
    (SELECT count(*) FROM set_access a WHERE a.group_id = g.id) AS set_count,
    (SELECT group_concat(r.name) FROM group_rights r WHERE r.group_id = g.id) AS rights
FROM groups g LEFT JOIN groups p ON p.id = g.parent_id
"""


def letters_of(rights: list[str]) -> str:
    return "".join(LETTERS[right] for right in RIGHTS if right in rights and right in LETTERS)


def list_groups(database: Database) -> list[GroupSummary]:
    db = database.db()
    user_ids = _user_ids(db)
    return [_summary(row, user_ids) for row in db.query(GROUPS_SQL + "ORDER BY g.name")]


def names_of(database: Database, group_ids: list[int]) -> dict[int, str]:
    """The names of these groups (a user's own, for their account page)."""
    marks = ",".join("?" * len(group_ids))
    rows = database.db().execute(f"SELECT id, name FROM groups WHERE id IN ({marks})", group_ids)
    return {int(row[0]): str(row[1]) for row in rows.fetchall()}


def get_group(database: Database, group_id: int) -> GroupDetail:
    db = database.db()
    rows = list(db.query(GROUPS_SQL + "WHERE g.id = ?", [group_id]))
    if not rows:
        raise NotFound(f"no group {group_id}", group_id=group_id)
    members = [
        Member(
            row["id"],
            row["email"],
            row["first_name"],
            row["last_name"],
            row["locked_at"] is not None,
            row["last_login_at"],
        )
        for row in db.query(
            "SELECT u.* FROM users u JOIN memberships m ON m.user_id = u.id "
            "WHERE m.group_id = ? ORDER BY u.email",
            [group_id],
        )
    ]
    return GroupDetail(_summary(rows[0], _user_ids(db)), members)


def _user_ids(db: sqlite_utils.Database) -> set[int]:
    return {int(row[0]) for row in db.execute("SELECT id FROM users").fetchall()}


def _summary(row: dict[str, Any], user_ids: set[int]) -> GroupSummary:
    rights = [right for right in RIGHTS if right in (row["rights"] or "").split(",")]
    return GroupSummary(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        parent_id=row["parent_id"],
        parent_name=row["parent_name"],
        rights=rights,
        letters=letters_of(rights),
        member_count=row["member_count"],
        set_count=row["set_count"],
        personal_user_id=_personal_user(row["name"], user_ids),
        created_at=row["created_at"],
    )


def _personal_user(name: str, user_ids: set[int]) -> int | None:
    match = PERSONAL_NAME.fullmatch(name)
    if match and int(match.group(1)) in user_ids:
        return int(match.group(1))
    return None


def create(
    database: Database,
    actor: audit.Actor,
    *,
    name: str,
    description: str,
    rights: list[str],
    parent_id: int | None,
) -> GroupDetail:
    """A new group; a child group sees its parent's sets (rights are not inherited)."""
    if PERSONAL_NAME.fullmatch(name.strip()):
        raise UsageError("names like user_<number> are kept for personal groups")
    with database.write() as db:
        if parent_id is not None and _row(db, parent_id) is None:
            raise UsageError(f"no parent group {parent_id}", parent_id=parent_id)
        group_id = members.create_group(db, name, description, rights, parent_id)
        audit.record(
            db,
            actor,
            "create_group",
            "groups",
            group_id,
            name=name.strip(),
            rights=sorted(rights),
            parent_id=parent_id,
        )
    return get_group(database, group_id)


def _row(db: sqlite_utils.Database, group_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM groups WHERE id = ?", [group_id]))
    return rows[0] if rows else None


def _existing(db: sqlite_utils.Database, group_id: int) -> dict[str, Any]:
    row = _row(db, group_id)
    if row is None:
        raise NotFound(f"no group {group_id}", group_id=group_id)
    return row


def update(
    database: Database,
    actor: audit.Actor,
    group_id: int,
    description: str | None,
    rights: list[str] | None,
) -> GroupDetail:
    with database.write() as db:
        _existing(db, group_id)
        if description is not None:
            db.execute("UPDATE groups SET description = ? WHERE id = ?", [description, group_id])
            audit.record(db, actor, "update_group", "groups", group_id, fields=["description"])
        if rights is not None:
            before = _rights(db, group_id)
            members.set_rights(db, group_id, rights)
            audit.record(
                db,
                actor,
                "change_rights",
                "groups",
                group_id,
                before=before,
                after=_rights(db, group_id),
            )
    return get_group(database, group_id)


def _rights(db: sqlite_utils.Database, group_id: int) -> list[str]:
    rows = db.execute("SELECT name FROM group_rights WHERE group_id = ?", [group_id]).fetchall()
    held = {str(row[0]) for row in rows}
    return [right for right in RIGHTS if right in held]


def delete(database: Database, actor: audit.Actor, group_id: int) -> None:
    with database.write() as db:
        row = _existing(db, group_id)
        _refuse_deleting(db, row)
        db.execute("DELETE FROM groups WHERE id = ?", [group_id])
        audit.record(db, actor, "delete_group", "groups", group_id, name=row["name"])


def _refuse_deleting(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    if row["name"] == ADMIN_GROUP:
        raise Conflict("the admin group cannot be deleted: its members are the administrators")
    owner = _personal_user(row["name"], _user_ids(db))
    if owner is not None:
        raise Conflict(
            f"{row['name']} is the personal group of user {owner}: it goes with the user",
            user_id=owner,
        )
    only_owned = sole_owned_sets(db, row["id"])
    if only_owned:
        shown = ", ".join(str(set_id) for set_id in only_owned[:LISTED_SETS])
        raise Conflict(
            f"group {row['name']} is the only owner of {len(only_owned)} sample set(s) "
            f"({shown}{', ...' if len(only_owned) > LISTED_SETS else ''}): give them to "
            "another group or delete them first",
            sample_set_ids=only_owned,
        )


def sole_owned_sets(db: sqlite_utils.Database, group_id: int) -> list[int]:
    rows = db.execute(
        "SELECT a.sample_set_id FROM set_access a WHERE a.group_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM set_access o WHERE o.sample_set_id = a.sample_set_id "
        "AND o.group_id != a.group_id) ORDER BY a.sample_set_id",
        [group_id],
    ).fetchall()
    return [int(row[0]) for row in rows]


def add_member(database: Database, actor: audit.Actor, group_id: int, user_id: int) -> GroupDetail:
    with database.write() as db:
        _existing(db, group_id)
        _existing_user(db, user_id)
        cursor = db.execute(
            "INSERT OR IGNORE INTO memberships (user_id, group_id) VALUES (?, ?)",
            [user_id, group_id],
        )
        if cursor.rowcount == 1:  # a repeated PUT changes nothing and leaves no trace
            audit.record(db, actor, "add_member", "groups", group_id, user_id=user_id)
    return get_group(database, group_id)


def remove_member(database: Database, actor: audit.Actor, group_id: int, user_id: int) -> None:
    with database.write() as db:
        row = _existing(db, group_id)
        _existing_user(db, user_id)
        if row["name"] == ADMIN_GROUP:
            members.refuse_losing_last_admin(db, user_id, "remove from the admin group")
        cursor = db.execute(
            "DELETE FROM memberships WHERE user_id = ? AND group_id = ?", [user_id, group_id]
        )
        if cursor.rowcount != 1:
            raise NotFound(
                f"user {user_id} is not a member of group {group_id}",
                user_id=user_id,
                group_id=group_id,
            )
        audit.record(db, actor, "remove_member", "groups", group_id, user_id=user_id)


def _existing_user(db: sqlite_utils.Database, user_id: int) -> None:
    if db.execute("SELECT 1 FROM users WHERE id = ?", [user_id]).fetchone() is None:
        raise NotFound(f"no user {user_id}", user_id=user_id)
