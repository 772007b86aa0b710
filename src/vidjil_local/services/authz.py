"""Who may do what: the rights of Vidjil, checked for every action on a sample set.

A user may use right R on sample set S when one of the user's groups both holds R and has access
to S (so a right given by one group never leaks onto the sets of another group), or when the user
is an administrator (member of the "admin" group). A set the user cannot read is reported as not
found, so ids of other groups' sets reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.errors import NotFound, PermissionDenied

RIGHTS = ("read", "create", "upload", "run", "save", "admin", "anon")
ADMIN_GROUP = "admin"  # its members are the administrators


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    is_admin: bool
    group_ids: frozenset[int]
    rights_by_group: dict[int, frozenset[str]] = field(default_factory=dict)
    # a login is valid only while the password it was made with is the account's password
    password_changed_at: str | None = None

    def groups_with(self, right: str) -> frozenset[int]:
        return frozenset(g for g, rights in self.rights_by_group.items() if right in rights)

    def has_right_somewhere(self, right: str) -> bool:
        return self.is_admin or bool(self.groups_with(right))


def load_principal(database: Database, user_id: int) -> Principal | None:
    """The user as they may act now (None: locked or gone); read again after any commit."""
    return database.remember(("principal", user_id), lambda: _read_principal(database, user_id))


def _read_principal(database: Database, user_id: int) -> Principal | None:
    db = database.db()
    user = db.execute(
        "SELECT email, locked_at, password_changed_at FROM users WHERE id = ?", [user_id]
    ).fetchone()
    if user is None or user[1] is not None:
        return None
    groups = db.execute(
        "SELECT g.id, g.name FROM groups g JOIN memberships m ON m.group_id = g.id "
        "WHERE m.user_id = ?",
        [user_id],
    ).fetchall()
    group_ids = frozenset(int(row[0]) for row in groups)
    rights: dict[int, set[str]] = {group_id: set() for group_id in group_ids}
    if group_ids:
        marks = ",".join("?" * len(group_ids))
        for group_id, name in db.execute(
            f"SELECT group_id, name FROM group_rights WHERE group_id IN ({marks})",
            list(group_ids),
        ).fetchall():
            rights[int(group_id)].add(str(name))
    return Principal(
        user_id=user_id,
        email=str(user[0]),
        is_admin=any(row[1] == ADMIN_GROUP for row in groups),
        group_ids=group_ids,
        rights_by_group={group_id: frozenset(names) for group_id, names in rights.items()},
        password_changed_at=user[2],
    )


def set_groups(database: Database, sample_set_id: int) -> frozenset[int]:
    """The groups with access to the set (read again after any commit)."""

    def read() -> frozenset[int]:
        rows = database.db().execute(
            "SELECT group_id FROM set_access WHERE sample_set_id = ?", [sample_set_id]
        )
        return frozenset(int(row[0]) for row in rows.fetchall())

    return database.remember(("set_groups", sample_set_id), read)


def _set_exists(database: Database, sample_set_id: int) -> bool:
    def read() -> bool:
        found = database.db().execute("SELECT 1 FROM sample_sets WHERE id = ?", [sample_set_id])
        return found.fetchone() is not None

    return database.remember(("set_exists", sample_set_id), read)


def can(database: Database, principal: Principal, right: str, sample_set_id: int) -> bool:
    assert right in RIGHTS, right
    if principal.is_admin:
        return True
    return bool(principal.groups_with(right) & set_groups(database, sample_set_id))


def require(database: Database, principal: Principal, right: str, sample_set_id: int) -> None:
    """Raise NotFound when the set does not exist or cannot be read, PermissionDenied when it can
    be read but not with this right."""
    if not _set_exists(database, sample_set_id) or not can(
        database, principal, "read", sample_set_id
    ):
        raise NotFound(f"no sample set {sample_set_id}", sample_set_id=sample_set_id)
    if right != "read" and not can(database, principal, right, sample_set_id):
        raise PermissionDenied(
            f"you do not have the {right!r} right on sample set {sample_set_id}",
            right=right,
            sample_set_id=sample_set_id,
        )


def readable_set_ids_sql(principal: Principal) -> tuple[str, list[int]]:
    """A SQL condition on `sample_sets.id` selecting the sets this principal may read."""
    if principal.is_admin:
        return "1 = 1", []
    groups = sorted(principal.groups_with("read"))
    if not groups:
        return "0 = 1", []
    marks = ",".join("?" * len(groups))
    return (
        f"sample_sets.id IN (SELECT sample_set_id FROM set_access WHERE group_id IN ({marks}))",
        groups,
    )


def sets_of_sample(db: sqlite_utils.Database, sample_id: int) -> list[int]:
    """The ids of the sample sets holding a sample (its rights come from them), in id order."""
    rows = db.execute(
        "SELECT sample_set_id FROM set_samples WHERE sample_id = ? ORDER BY sample_set_id",
        [sample_id],
    ).fetchall()
    return [int(row[0]) for row in rows]
