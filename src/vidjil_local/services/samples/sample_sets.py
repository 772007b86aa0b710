"""Sample sets: patients, runs and generic sets, owned by groups, as in Vidjil.

What a user sees of a patient depends on the `anon` right: without it the name shows as the first
three letters of the last name and the age, never the first name or the birth date. Searching and
sorting work on what the user sees, so hidden names can neither be found nor inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.db.samples import SampleStatus
from vidjil_local.errors import NotFound, PermissionDenied, UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import RIGHTS, Principal
from vidjil_local.services.samples import samples
from vidjil_local.settings import Settings

KINDS = ("patient", "run", "generic")
FIELDS = {
    "patient": ("id_label", "first_name", "last_name", "birth", "info"),
    "run": ("id_label", "name", "run_date", "sequencer", "pcr", "info"),
    "generic": ("name", "info"),
}
DATE_FIELDS = ("birth", "run_date")
TAG = re.compile(r"#([\w][\w.-]*)")
MAX_PAGE = 500  # sets in one page of the list
SORTABLE = ("id", "name", "id_label", "created_at", "updated_at", "birth", "run_date", "samples")


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


def tags_of(text: str) -> list[str]:
    return sorted({tag.lower() for tag in TAG.findall(text)})


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind of sample set {kind!r}: use patient, run or generic")


def clean_fields(kind: str, values: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    """Keep the fields of `kind`, as text, dates checked; refuse unknown ones."""
    _check_kind(kind)
    allowed = FIELDS[kind]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise UsageError(f"a {kind} has no field {', '.join(unknown)}", allowed=list(allowed))
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        text = "" if value is None else str(value).strip()
        if len(text) > 10_000:
            raise UsageError(f"{name} is too long")
        if name in DATE_FIELDS:
            cleaned[name] = _date(name, text)
        else:
            cleaned[name] = text
    if not partial:
        _check_required(kind, cleaned)
    return cleaned


def _date(name: str, text: str) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"{name} must be a date as YYYY-MM-DD, got {text!r}") from None


def _check_required(kind: str, values: dict[str, Any]) -> None:
    if kind == "patient" and not (values.get("last_name") or values.get("id_label")):
        raise UsageError("a patient needs a last name or an id label")
    if kind != "patient" and not values.get("name"):
        raise UsageError(f"a {kind} needs a name")


def creation_group(principal: Principal, group_id: int | None) -> int:
    """The group that will own a new set: the one asked, which must hold `create`."""
    allowed = principal.groups_with("create")
    if group_id is None:
        if not allowed:
            raise PermissionDenied("none of your groups may create sample sets")
        return min(allowed)
    if principal.is_admin or group_id in allowed:
        return group_id
    raise PermissionDenied(f"you may not create sample sets in group {group_id}", group_id=group_id)


def create(
    db: sqlite_utils.Database,
    actor: audit.Actor,
    principal: Principal,
    *,
    kind: str,
    values: dict[str, Any],
    group_id: int | None,
) -> int:
    """Insert one set owned by a group (inside the caller's write transaction)."""
    owner = creation_group(principal, group_id)
    if db.execute("SELECT 1 FROM groups WHERE id = ?", [owner]).fetchone() is None:
        raise NotFound(f"no group {owner}", group_id=owner)
    fields = clean_fields(kind, values)
    moment = now()
    set_id = int(
        db.table("sample_sets")
        .insert(
            {
                "kind": kind,
                **fields,
                "created_by": principal.user_id,
                "created_at": moment,
                "updated_at": moment,
            }
        )
        .last_pk
        or 0
    )
    db.execute("INSERT INTO set_access (sample_set_id, group_id) VALUES (?, ?)", [set_id, owner])
    audit.record(db, actor, "create", "sample_sets", set_id, kind=kind, group_id=owner)
    return set_id


def create_one(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    *,
    kind: str,
    values: dict[str, Any],
    group_id: int | None,
) -> dict[str, Any]:
    with database.write() as db:
        set_id = create(db, actor, principal, kind=kind, values=values, group_id=group_id)
    return get(database, principal, set_id)


BATCH_COLUMNS = {
    "patient": ("id_label", "first_name", "last_name", "birth", "info"),
    "run": ("id_label", "name", "run_date", "info"),
    "generic": ("name", "info"),
}


def parse_batch(kind: str, text: str) -> list[dict[str, Any]]:
    """Rows pasted from a spreadsheet (tab-separated, columns as in Vidjil); all or nothing."""
    _check_kind(kind)
    columns = BATCH_COLUMNS[kind]
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > len(columns):
            problems.append(f"row {number}: {len(cells)} columns, at most {len(columns)} expected")
            continue
        values = dict(zip(columns, cells, strict=False))
        try:
            rows.append(clean_fields(kind, values))
        except UsageError as error:
            problems.append(f"row {number}: {error.message}")
    if problems:
        raise UsageError("; ".join(problems), rows=problems)
    if not rows:
        raise UsageError("no rows to create")
    return rows


def create_batch(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    *,
    kind: str,
    text: str,
    group_id: int | None,
) -> list[int]:
    rows = parse_batch(kind, text)
    with database.write() as db:
        return [
            create(db, actor, principal, kind=kind, values=row, group_id=group_id) for row in rows
        ]


def _age(birth: str | None) -> int | None:
    if not birth:
        return None
    born = date.fromisoformat(birth)
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def present(row: dict[str, Any], may_see_names: bool) -> dict[str, Any]:
    """The set as this user may see it."""
    shown = dict(row)
    shown["tags"] = tags_of(row.get("info") or "")
    if row["kind"] == "patient":
        age = _age(row.get("birth"))
        shown["age"] = age
        if not may_see_names:
            prefix = (row.get("last_name") or "")[:3]
            shown.update(first_name="", last_name=prefix, birth=None, pseudonymised=True)
            shown["name"] = f"{prefix} ({age} y)" if age is not None else prefix
        else:
            shown["name"] = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
            shown["pseudonymised"] = False
    return shown


def _anon_sets(database: Database, principal: Principal) -> set[int] | None:
    """Ids of the sets where the user may see names; None means all (admin)."""
    if principal.is_admin:
        return None
    groups = sorted(principal.groups_with("anon"))
    if not groups:
        return set()
    marks = ",".join("?" * len(groups))
    rows = database.db().execute(
        f"SELECT sample_set_id FROM set_access WHERE group_id IN ({marks})", groups
    )
    return {int(row[0]) for row in rows.fetchall()}


def _readable_rows(
    database: Database, principal: Principal, kind: str | None
) -> list[dict[str, Any]]:
    condition, args = authz.readable_set_ids_sql(principal)
    kind_clause = ""
    if kind:
        _check_kind(kind)
        kind_clause = " AND sample_sets.kind = ?"
        args = [*args, kind]  # type: ignore[list-item]
    sql = (
        "SELECT sample_sets.*, (SELECT count(*) FROM set_samples s WHERE s.sample_set_id = "
        f"sample_sets.id) AS samples FROM sample_sets WHERE {condition}{kind_clause}"
    )
    return list(database.db().query(sql, args))


def matches(shown: dict[str, Any], tokens: list[str]) -> bool:
    haystack = " ".join(
        str(shown.get(field) or "")
        for field in ("name", "first_name", "last_name", "id_label", "info", "sequencer", "pcr")
    ).lower()
    haystack += " " + str(shown["id"])
    tags = set(shown["tags"])
    for token in tokens:
        if token.startswith("#") and len(token) > 1:
            if token[1:].lower() not in tags:
                return False
        elif token.startswith("-") and len(token) > 1:
            if token[1:].lower() in haystack:
                return False
        elif token.lower() not in haystack:
            return False
    return True


def list_sets(
    database: Database,
    principal: Principal,
    *,
    kind: str | None = None,
    search: str = "",
    sort: str = "-id",
    limit: int = 50,
    offset: int = 0,
) -> Page:
    field = sort.lstrip("-")
    if field not in SORTABLE:
        raise UsageError(f"cannot sort by {field!r}", sortable=list(SORTABLE))
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise UsageError(f"limit must be between 1 and {MAX_PAGE} and offset not negative")
    anon = _anon_sets(database, principal)
    shown = [
        present(row, anon is None or row["id"] in anon)
        for row in _readable_rows(database, principal, kind)
    ]
    tokens = search.split()
    selected = [row for row in shown if matches(row, tokens)] if tokens else shown
    selected.sort(key=lambda row: _sort_key(row.get(field)), reverse=sort.startswith("-"))
    page = selected[offset : offset + limit]
    for row in page:  # what the list may offer on each (edit, delete: admin)
        row["rights"] = [r for r in RIGHTS if authz.can(database, principal, r, row["id"])]
    return Page(page, len(selected))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (0, "")
    if isinstance(value, int | float):
        return (1, value)
    return (2, str(value).lower())


def get(database: Database, principal: Principal, set_id: int) -> dict[str, Any]:
    """The set as the principal may see it (viewing a patient is audited by the caller:
    `audit.view_to_record`)."""
    authz.require(database, principal, "read", set_id)

    def read() -> dict[str, Any]:
        rows = database.db().query(
            "SELECT sample_sets.*, (SELECT count(*) FROM set_samples s WHERE s.sample_set_id = "
            "sample_sets.id) AS samples FROM sample_sets WHERE id = ?",
            [set_id],
        )
        return next(iter(rows))

    row = database.remember(("sample_set", set_id), read)  # the results page asks it often
    shown = present(row, authz.can(database, principal, "anon", set_id))
    shown["groups"] = sorted(authz.set_groups(database, set_id))
    shown["rights"] = [r for r in RIGHTS if authz.can(database, principal, r, set_id)]
    return shown


def update(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    set_id: int,
    values: dict[str, Any],
) -> dict[str, Any]:
    authz.require(database, principal, "admin", set_id)
    kind = (
        database.db().execute("SELECT kind FROM sample_sets WHERE id = ?", [set_id]).fetchone()[0]
    )
    fields = clean_fields(str(kind), values, partial=True)
    if not fields:
        raise UsageError("nothing to change")
    with database.write() as db:
        db.table("sample_sets").update(set_id, {**fields, "updated_at": now()})
        current = dict(next(db.query("SELECT * FROM sample_sets WHERE id = ?", [set_id])))
        _check_required(str(kind), current)
        audit.record(db, actor, "update", "sample_sets", set_id, fields=sorted(fields))
    return get(database, principal, set_id)


def delete(
    database: Database, settings: Settings, actor: audit.Actor, principal: Principal, set_id: int
) -> list[int]:
    """Delete a set; its samples that belong to no other set are marked deleted and their uploaded
    files removed (their results are kept). Shared samples stay with the other sets."""
    authz.require(database, principal, "admin", set_id)
    with database.write() as db:
        orphans = [
            int(row[0])
            for row in db.execute(
                "SELECT sample_id FROM set_samples WHERE sample_set_id = ? AND sample_id NOT IN "
                "(SELECT sample_id FROM set_samples WHERE sample_set_id != ?)",
                [set_id, set_id],
            ).fetchall()
        ]
        db.execute("DELETE FROM sample_sets WHERE id = ?", [set_id])
        for sample_id in orphans:
            db.execute(
                "UPDATE samples SET status = ? WHERE id = ?", [SampleStatus.DELETED, sample_id]
            )
        audit.record(db, actor, "delete", "sample_sets", set_id, orphaned_samples=orphans)
    samples.remove_files(database, settings, orphans)
    return orphans
