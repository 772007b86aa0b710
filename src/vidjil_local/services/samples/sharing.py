"""Giving others access: the groups that own a set, and a sample linked into one more set.

Both would otherwise let a user raise their own rights, so both follow one rule (written down in
docs/admin-guide.md, "Who may share what"): what a user does may give no one a right the user
does not already hold, and only administrators give a lab's data to a group the user is not in.

- **Sharing a set** needs the `admin` right on it. A user who is not an administrator may add
  or remove only groups they belong to, and may add a group only when its rights are among
  those the user already holds on the set (their personal group, which holds every right, is
  refused on a set where they lack one).
- **Linking a sample** into another set needs `upload` on the sample and on the set, and every
  right the user would hold on the sample through that set (`SAMPLE_RIGHTS`) they must already
  hold on it through one of its sets. Everyone reading the set then sees the sample.
"""

from __future__ import annotations

from typing import TypedDict

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.errors import Conflict, NotFound, PermissionDenied, UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import RIGHTS, Principal, sets_of_sample
from vidjil_local.services.samples import samples

# What the rights of a set let one do to its samples (`anon`, `save` and `create` act on sets)
SAMPLE_RIGHTS = ("read", "upload", "run", "admin")


def rights_on_set(database: Database, principal: Principal, set_id: int) -> frozenset[str]:
    return frozenset(right for right in RIGHTS if authz.can(database, principal, right, set_id))


class SharingChoice(TypedDict):
    """A group the user may tick or untick on the set's "Groups that own this set"."""

    id: int
    name: str
    description: str
    owns: bool  # the group owns the set now


def sharing_choices(database: Database, principal: Principal, set_id: int) -> list[SharingChoice]:
    """The groups `set_access_groups` would let this user add to or remove from the set:
    every group for an administrator; otherwise the user's own groups that own the set, and
    those whose rights the user already holds on it. Owners the user is not in are left out
    (the client sends them back unchanged)."""
    authz.require(database, principal, "admin", set_id)
    owners = authz.set_groups(database, set_id)
    rows = database.db().execute("SELECT id, name, description FROM groups ORDER BY name, id")
    held = rights_on_set(database, principal, set_id)
    choices: list[SharingChoice] = []
    for group_id, name, description in rows.fetchall():
        owns = int(group_id) in owners
        if principal.is_admin or _may_toggle(principal, int(group_id), owns, held):
            choices.append(
                SharingChoice(
                    id=int(group_id), name=str(name), description=str(description or ""), owns=owns
                )
            )
    return choices


def _may_toggle(principal: Principal, group_id: int, owns: bool, held: frozenset[str]) -> bool:
    if group_id not in principal.group_ids:
        return False
    return owns or principal.rights_by_group.get(group_id, frozenset()) <= held


def set_access_groups(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    set_id: int,
    group_ids: list[int],
) -> list[int]:
    """Which groups own the set (the set's "permissions" page). At least one."""
    authz.require(database, principal, "admin", set_id)
    wanted = sorted(set(group_ids))
    if not wanted:
        raise UsageError("a sample set must belong to at least one group")
    with database.write() as db:
        names = _group_names(db, wanted)
        before = sorted(authz.set_groups(database, set_id))
        if not principal.is_admin:
            _check_sharing(database, principal, set_id, set(before), set(wanted), names)
        db.execute("DELETE FROM set_access WHERE sample_set_id = ?", [set_id])
        for group_id in wanted:
            db.execute(
                "INSERT INTO set_access (sample_set_id, group_id) VALUES (?, ?)", [set_id, group_id]
            )
        audit.record(db, actor, "change_access", "sample_sets", set_id, before=before, after=wanted)
    return wanted


def _group_names(db: sqlite_utils.Database, group_ids: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(group_ids))
    rows = db.execute(f"SELECT id, name FROM groups WHERE id IN ({marks})", group_ids).fetchall()
    if len(rows) != len(group_ids):
        raise NotFound("unknown group in the list", group_ids=group_ids)
    return {int(row[0]): str(row[1]) for row in rows}


def _check_sharing(
    database: Database,
    principal: Principal,
    set_id: int,
    before: set[int],
    wanted: set[int],
    names: dict[int, str],
) -> None:
    for group_id in sorted((before ^ wanted) - principal.group_ids):
        verb = "give it to" if group_id in wanted else "take it from"
        raise PermissionDenied(
            f"only an administrator may {verb} a group you are not in (group {group_id}): you "
            f"may share set {set_id} with your own groups",
            group_id=group_id,
        )
    held = rights_on_set(database, principal, set_id)
    for group_id in sorted(wanted - before):
        gained = sorted(principal.rights_by_group.get(group_id, frozenset()) - held)
        if gained:
            raise PermissionDenied(
                f"sharing set {set_id} with {names[group_id]} would give you the "
                f"{', '.join(gained)} right(s) you do not hold on it: ask an administrator",
                group_id=group_id,
                rights=gained,
            )


def add_to_set(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    sample_id: int,
    set_id: int,
) -> samples.Sample:
    """Put an existing sample in one more set (upload right on both sides, and no right on the
    sample that the user does not already hold)."""
    samples.require_on_sample(database, principal, "upload", sample_id)
    authz.require(database, principal, "upload", set_id)
    if not principal.is_admin:
        _check_linking(database, principal, sample_id, set_id)
    with database.write() as db:
        if set_id in sets_of_sample(db, sample_id):
            raise Conflict(f"sample {sample_id} is already in set {set_id}")
        samples.link(db, set_id, sample_id)
        audit.record(db, actor, "add_to_set", "samples", sample_id, sample_set_id=set_id)
    return samples.load(database, principal, sample_id)


def _check_linking(database: Database, principal: Principal, sample_id: int, set_id: int) -> None:
    on_sample: set[str] = set()
    for holder in sets_of_sample(database.db(), sample_id):
        on_sample |= rights_on_set(database, principal, holder)
    through_set = rights_on_set(database, principal, set_id) & set(SAMPLE_RIGHTS)
    gained = sorted(through_set - on_sample)
    if gained:
        raise PermissionDenied(
            f"linking sample {sample_id} into set {set_id} would give you the "
            f"{', '.join(gained)} right(s) on it that you do not hold: ask someone who holds "
            "them, or an administrator",
            sample_id=sample_id,
            rights=gained,
        )
