"""Samples (Vidjil's sequence files): the metadata of one reads file, or of an R1/R2 pair.

A sample belongs to one or more sample sets (a patient, a run, a cohort) at once, and a user's
rights on a sample are the rights of the user on any of its sets. A sample a user cannot read
through any set is reported as not found.

Removing a sample from a set that is not its last one only unlinks it. Removing it from its last
set deletes its files (never a linked network file) and marks it `deleted`, keeping the row, the
link and its results, as Vidjil's "delete the sequence only" does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.db.samples import SampleStatus, file_name
from vidjil_local.db.samples import file_path as file_path  # where a sample's files are
from vidjil_local.errors import Conflict, NotFound, PermissionDenied, UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal, sets_of_sample
from vidjil_local.services.confinement import check_still_inside
from vidjil_local.services.results.fused import queue_fuse
from vidjil_local.settings import Settings

MAX_NAME_LENGTH = 255
MAX_TEXT_LENGTH = 10_000
TAG = re.compile(r"#([\w][\w.-]*)")
EDITABLE = (
    "original_name",
    "original_name2",
    "sampling_date",
    "info",
    "pcr",
    "sequencer",
    "producer",
)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters that change how a name is shown rather than being part of it: line and paragraph
# separators, and the bidirectional overrides and isolates that make "x\u202eqf.exe" read
# "xexe.fq" (letters of right-to-left scripts are names like any other).
_LAYOUT_CONTROLS = frozenset([0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


@dataclass(frozen=True)
class Sample:
    id: int
    original_name: str
    original_name2: str | None
    original_name1: str  # R1's (or the only file's) own name; `original_name` names the sample
    paired: bool
    network: bool
    status: str
    status_message: str
    size: int
    size2: int | None
    sha256: str | None
    sha256_2: str | None
    received: bool
    received2: bool
    sampling_date: str | None
    info: str
    tags: list[str]
    pcr: str
    sequencer: str
    producer: str
    uploaded_by: int | None
    created_at: str
    set_ids: list[int]

    @classmethod
    def from_row(cls, row: dict[str, Any], set_ids: list[int]) -> Sample:
        return cls(
            id=row["id"],
            original_name=row["original_name"],
            original_name2=row["original_name2"],
            original_name1=str(file_name(row, 1)),
            paired=row["original_name2"] is not None,
            network=bool(row["network"]),
            status=row["status"],
            status_message=row["status_message"],
            size=row["size"],
            size2=row["size2"],
            sha256=row["sha256"],
            sha256_2=row["sha256_2"],
            received=row["stored_name"] is not None,
            received2=row["stored_name2"] is not None,
            sampling_date=row["sampling_date"],
            info=row["info"],
            tags=sorted({tag.lower() for tag in TAG.findall(row["info"])}),
            pcr=row["pcr"],
            sequencer=row["sequencer"],
            producer=row["producer"],
            uploaded_by=row["uploaded_by"],
            created_at=row["created_at"],
            set_ids=set_ids,
        )


def clean_name(name: str) -> str:
    """An original file name as shown to users: its last path component, printable, bounded.

    It is only ever displayed or sent back as a download name, never used as a path.
    """
    base = re.split(r"[/\\]", name.strip())[-1].strip()
    if not base or base in (".", ".."):
        raise UsageError(f"not a file name: {name[:80]!r}")
    if any(_is_control(character) for character in base):
        raise UsageError(
            "a file name may not hold control characters (NUL, newline, right-to-left override...)"
        )
    if len(base) > MAX_NAME_LENGTH:
        raise UsageError(f"a file name may have at most {MAX_NAME_LENGTH} characters")
    return base


def _is_control(character: str) -> bool:
    code = ord(character)
    return code < 32 or code == 127 or code in _LAYOUT_CONTROLS


def clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Checked metadata; `values` holds only the fields given (None clears optional ones)."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        if name == "original_name":
            fields[name] = clean_name(str(value))
        elif name in ("original_name1", "original_name2"):
            fields[name] = None if value is None else clean_name(str(value))
        elif name == "sampling_date":
            fields[name] = _date(value)
        else:
            text = "" if value is None else str(value)
            if len(text) > MAX_TEXT_LENGTH:
                raise UsageError(f"{name} may have at most {MAX_TEXT_LENGTH} characters")
            fields[name] = text
    return fields


def _date(value: object) -> str | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and DATE.fullmatch(value):
            return date.fromisoformat(value).isoformat()  # a real day: not 2026-13-45
    except ValueError:
        pass
    raise UsageError(f"sampling_date must be a date as YYYY-MM-DD, not {value!r}")


def require_on_sample(
    database: Database, principal: Principal, right: str, sample_id: int
) -> list[int]:
    """The sets of the sample on which the principal holds `right`.

    NotFound when no set of the sample is readable (or no such sample), PermissionDenied when
    some are readable but none gives the right.
    """
    readable = _visible_sets(database, principal, sample_id)
    if not readable:
        raise NotFound(f"no sample {sample_id}", sample_id=sample_id)
    allowed = [set_id for set_id in readable if authz.can(database, principal, right, set_id)]
    if not allowed:
        raise PermissionDenied(
            f"you do not have the {right!r} right on any set of sample {sample_id}",
            right=right,
            sample_id=sample_id,
        )
    return allowed


def row_of(db: sqlite_utils.Database, sample_id: int) -> dict[str, Any]:
    for row in db.query("SELECT * FROM samples WHERE id = ?", [sample_id]):
        return row
    raise NotFound(f"no sample {sample_id}", sample_id=sample_id)


def load(database: Database, principal: Principal, sample_id: int) -> Sample:
    """The sample as `principal` sees it: only the ids of the sets it may read."""
    return Sample.from_row(
        row_of(database.db(), sample_id), _visible_sets(database, principal, sample_id)
    )


def _visible_sets(database: Database, principal: Principal, sample_id: int) -> list[int]:
    return [
        set_id
        for set_id in sets_of_sample(database.db(), sample_id)
        if authz.can(database, principal, "read", set_id)
    ]


def insert(
    db: sqlite_utils.Database,
    actor: audit.Actor,
    set_id: int,
    fields: dict[str, Any],
    **stored: Any,
) -> int:
    """Insert a sample row and its link to `set_id` (inside the caller's write transaction)."""
    row = {**clean_fields(r1_named(fields)), **stored, "uploaded_by": actor.user_id}
    row["created_at"] = now()
    sample_id = int(db.table("samples").insert(row).last_pk or 0)
    link(db, set_id, sample_id)
    audit.record(db, actor, "create", "samples", sample_id, sample_set_id=set_id)
    return sample_id


def link(db: sqlite_utils.Database, set_id: int, sample_id: int) -> None:
    """Put a sample at the end of a set (inside the caller's write transaction)."""
    position = db.execute(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM set_samples WHERE sample_set_id = ?", [set_id]
    ).fetchone()[0]
    db.execute(
        "INSERT INTO set_samples (sample_set_id, sample_id, position) VALUES (?, ?, ?)",
        [set_id, sample_id, position],
    )


def create(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    set_id: int,
    fields: dict[str, Any],
) -> Sample:
    """A new sample in `set_id`, waiting for its file(s)."""
    authz.require(database, principal, "upload", set_id)
    if "original_name" not in fields:
        raise UsageError("a sample needs the original_name of its file")
    with database.write() as db:
        sample_id = insert(db, actor, set_id, fields)
    return load(database, principal, sample_id)


def r1_named(fields: dict[str, Any]) -> dict[str, Any]:
    """A new sample's `fields`; `original_name1` (a pair's R1's name) kept when not its name."""
    r1 = fields.get("original_name1")
    if r1 is not None and fields.get("original_name2") is None:
        raise UsageError("original_name1 is the R1's name of a pair: give original_name2 too")
    same = r1 is None or clean_name(str(r1)) == clean_name(str(fields["original_name"]))
    return {**fields, "original_name1": None if same else r1}


def list_in_set(database: Database, principal: Principal, set_id: int) -> list[Sample]:
    authz.require(database, principal, "read", set_id)
    db = database.db()
    rows = list(
        db.query(
            "SELECT samples.* FROM samples JOIN set_samples ON set_samples.sample_id = samples.id "
            "WHERE set_samples.sample_set_id = ? ORDER BY set_samples.position, samples.id",
            [set_id],
        )
    )
    return [Sample.from_row(row, _visible_sets(database, principal, row["id"])) for row in rows]


def get(database: Database, principal: Principal, sample_id: int) -> Sample:
    require_on_sample(database, principal, "read", sample_id)
    return load(database, principal, sample_id)


def update(
    database: Database,
    actor: audit.Actor,
    principal: Principal,
    sample_id: int,
    values: dict[str, Any],
) -> Sample:
    require_on_sample(database, principal, "admin", sample_id)
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise UsageError(f"these fields cannot be changed: {', '.join(unknown)}")
    fields = clean_fields(values)
    with database.write() as db:
        current = row_of(db, sample_id)
        if "original_name2" in fields and (fields["original_name2"] is None) != (
            current["original_name2"] is None
        ):
            raise Conflict("whether a sample is paired cannot change: create a new sample")
        if "original_name" in fields and current["original_name2"] is not None:
            fields["original_name1"] = file_name(current, 1)  # the R1 keeps its own name
        if fields:
            db.table("samples").update(sample_id, fields)
            audit.record(db, actor, "update", "samples", sample_id, fields=sorted(fields))
    return load(database, principal, sample_id)


def delete(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    principal: Principal,
    sample_id: int,
    *,
    set_id: int | None,
) -> Sample:
    """Remove the sample from `set_id` (or from every set where the principal may administer
    it); its files go only when no other set holds it."""
    allowed = require_on_sample(database, principal, "admin", sample_id)
    targets = allowed if set_id is None else [set_id]
    if set_id is not None and set_id not in allowed:
        authz.require(database, principal, "admin", set_id)
        raise NotFound(f"sample {sample_id} is not in set {set_id}", sample_id=sample_id)
    with database.write() as db:
        holders = sets_of_sample(db, sample_id)
        remaining = [holder for holder in holders if holder not in targets]
        unlinked = targets if remaining else targets[1:]
        for target in unlinked:
            db.execute(
                "DELETE FROM set_samples WHERE sample_set_id = ? AND sample_id = ?",
                [target, sample_id],
            )
            audit.record(db, actor, "remove_from_set", "samples", sample_id, sample_set_id=target)
        _refuse_without(db, settings, actor, sample_id, unlinked)
        if not remaining:
            _mark_deleted(db, actor, sample_id)
    if not remaining:
        remove_files(database, settings, [sample_id])
    return load(database, principal, sample_id)


def _refuse_without(
    db: sqlite_utils.Database,
    settings: Settings,
    actor: audit.Actor,
    sample_id: int,
    set_ids: list[int],
) -> None:
    """Re-fuse the sets a sample left, for every config it has results with (inside the
    caller's transaction), so their time-course no longer shows it."""
    config_ids = [
        int(row[0])
        for row in db.execute(
            "SELECT DISTINCT config_id FROM results WHERE sample_id = ?", [sample_id]
        ).fetchall()
    ]
    for set_id in set_ids:
        for config_id in config_ids:
            queue_fuse(
                db, settings.results_dir, set_id=set_id, config_id=config_id, user_id=actor.user_id
            )  # sent by the job runtime's sweep


def _mark_deleted(db: sqlite_utils.Database, actor: audit.Actor, sample_id: int) -> None:
    if row_of(db, sample_id)["status"] == SampleStatus.DELETED:
        raise Conflict(f"sample {sample_id} is already deleted", sample_id=sample_id)
    db.execute(
        "UPDATE samples SET status = ?, status_message = 'file deleted' WHERE id = ?",
        [SampleStatus.DELETED, sample_id],
    )
    audit.record(db, actor, "delete", "samples", sample_id)


def remove_files(database: Database, settings: Settings, sample_ids: list[int]) -> None:
    """Delete the uploaded files of deleted samples (linked network files stay where they are).

    Also for the sample sets service, after a set's delete orphaned some samples.
    """
    for sample_id in sample_ids:
        row = row_of(database.db(), sample_id)
        for number in (1, 2):
            path = file_path(settings, row, number)
            if path is not None and not row["network"]:
                path.unlink(missing_ok=True)
            (settings.sequences_dir / f"{sample_id}_{number}.part").unlink(missing_ok=True)
        with database.write() as db:
            db.execute(
                "UPDATE samples SET stored_name = NULL, stored_name2 = NULL WHERE id = ?",
                [sample_id],
            )


def download(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    principal: Principal,
    sample_id: int,
    *,
    number: int,
) -> tuple[Path, str]:
    """The path of file 1 or 2 and the name to offer, for a user who may read the sample."""
    require_on_sample(database, principal, "read", sample_id)
    row = row_of(database.db(), sample_id)
    path = file_path(settings, row, number) if number in (1, 2) else None
    if path is None or not path.is_file():
        raise NotFound(f"sample {sample_id} has no file {number}", sample_id=sample_id)
    name = file_name(row, number)
    if row["network"]:
        check_still_inside(path, settings.file_source, str(name or f"file {number}"))
    audit.record_now(database, actor, "download", table_name="samples", record_id=sample_id)
    return path, str(name or path.name)
