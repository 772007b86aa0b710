"""Export a group's or chosen sets to one zip archive another vidjil-local imports (the Vidjil
migrator's export): the sets, their samples, results, fused results, `.analysis` versions and
audit rows, the result files, and the sequence files when asked. The rows are read in one snapshot
while the app keeps working; `manifest.json` lists every other member with its size and SHA-256,
and the SHA-256 of the manifest itself is the archive's fingerprint, to compare out of band."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local import __version__
from vidjil_local.db import Database, schema_version
from vidjil_local.db.clock import now
from vidjil_local.errors import NotFound, UsageError
from vidjil_local.services import audit
from vidjil_local.services.exchange import records as r
from vidjil_local.settings import Settings

CHUNK = 1 << 20
SNAPSHOT_TRIES = 3  # a fuse may replace a fused file between the snapshot and its copy
AUDITED_TABLES = ("sample_sets", "samples", "results", "analyses", "fused_results")


@dataclass(frozen=True)
class Scope:
    """What to export: every set a group may read, or chosen sets (patients, runs, sets)."""

    group: str | None = None  # a group's id or name
    set_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Exported:
    path: Path
    fingerprint: str  # SHA-256 of manifest.json
    sets: int
    samples: int
    results: int
    files: int
    size: int


def export_archive(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    *,
    scope: Scope,
    destination: Path,
    with_sequences: bool = False,
) -> Exported:
    if destination.exists():
        raise UsageError(f"{destination} already exists: it will not be overwritten")
    part = destination.with_name(destination.name + ".part")
    schema = schema_version(database.db())
    for attempt in range(SNAPSHOT_TRIES):
        snapshot, label = _snapshot(database, scope)
        try:
            fingerprint = _write(part, settings, snapshot, (label, schema), with_sequences)
            break
        except FileNotFoundError:
            part.unlink(missing_ok=True)
            if attempt == SNAPSHOT_TRIES - 1:
                raise
    os.replace(part, destination)
    with database.write() as db:
        audit.record(db, actor, "exported", "sample_sets", None, scope=label,
                     sets=[s.id for s in snapshot.sample_sets], fingerprint=fingerprint,
                     with_sequences=with_sequences)  # fmt: skip
    with zipfile.ZipFile(destination) as archive:
        files = len(archive.namelist())
    return Exported(destination, fingerprint, len(snapshot.sample_sets), len(snapshot.samples),
                    len(snapshot.results), files, destination.stat().st_size)  # fmt: skip


# -- the rows, in one read snapshot ------------------------------------------------------------
def _snapshot(database: Database, scope: Scope) -> tuple[r.Records, str]:
    db = database.db()
    db.conn.execute("BEGIN")  # one read transaction: rows that belong together stay together
    try:
        set_ids, label = _chosen_sets(db, scope)
        return _records(db, set_ids), label
    finally:
        db.conn.execute("COMMIT")


def _chosen_sets(db: sqlite_utils.Database, scope: Scope) -> tuple[list[int], str]:
    if scope.group is not None:
        group = db.execute(
            "SELECT id, name FROM groups WHERE name = ? OR CAST(id AS TEXT) = ?",
            [scope.group, scope.group],
        ).fetchone()
        if group is None:
            raise NotFound(f"no group {scope.group!r}")
        rows = db.execute(
            "SELECT sample_set_id FROM set_access WHERE group_id = ? ORDER BY 1", [group[0]]
        ).fetchall()
        if not rows:
            raise UsageError(f"group {group[1]!r} has no set to export")
        return [row[0] for row in rows], f"group {group[1]}"
    if not scope.set_ids:
        raise UsageError("say what to export: a group or one or more sets")
    wanted = sorted(set(scope.set_ids))
    found = {row[0] for row in db.execute(_select_in("SELECT id FROM sample_sets", "id", wanted),
                                          wanted)}  # fmt: skip
    missing = [set_id for set_id in wanted if set_id not in found]
    if missing:
        raise NotFound(f"no set {', '.join(map(str, missing))}", set_ids=missing)
    return wanted, "sets " + ", ".join(map(str, wanted))


def _select_in(select: str, column: str, ids: list[int], order: str = "") -> str:
    where = " AND " if " WHERE " in select else " WHERE "
    return f"{select}{where}{column} IN ({', '.join('?' * len(ids))}) ORDER BY {order or column}"


ORDER = {"set_samples": "sample_set_id, position, sample_id", "fused_results": "sample_set_id, "
         "config_id"}  # fmt: skip


def _rows(db: sqlite_utils.Database, table: str, column: str, ids: list[int]) -> list[Any]:
    """Rows in the order their ids were given, so new ids keep it (the latest result stays the
    latest)."""
    if not ids:
        return []
    select = f"SELECT {', '.join(r.columns(table))} FROM {table}"
    if table == "samples":
        select += " WHERE status != 'deleted'"
    query = _select_in(select, column, ids, ORDER.get(table, "id"))
    model = r.ROW_MODELS[table]
    return [model.model_validate(dict(row)) for row in db.query(query, ids)]


def _records(db: sqlite_utils.Database, set_ids: list[int]) -> r.Records:
    links = _rows(db, "set_samples", "sample_set_id", set_ids)
    samples = _rows(db, "samples", "id", sorted({link.sample_id for link in links}))
    sample_ids = [sample.id for sample in samples]
    links = [link for link in links if link.sample_id in set(sample_ids)]
    results = _rows(db, "results", "sample_id", sample_ids)
    result_ids = {result.id for result in results}
    fused = [
        fused
        for fused in _rows(db, "fused_results", "sample_set_id", set_ids)
        if set(json.loads(fused.result_ids)) <= result_ids
    ]  # a stale one is fused again
    analyses = _rows(db, "analyses", "sample_set_id", set_ids)
    ids = {"sample_sets": set_ids, "samples": sample_ids, "results": [x.id for x in results],
           "analyses": [x.id for x in analyses], "fused_results": set_ids}  # fmt: skip
    audit_rows = sorted(
        (row for table in AUDITED_TABLES for row in _audit_rows(db, table, ids[table])),
        key=lambda row: row.id,
    )
    config_ids = sorted({x.config_id for x in results} | {x.config_id for x in fused})
    sets = _rows(db, "sample_sets", "id", set_ids)
    user_ids = sorted(
        {s.created_by for s in sets} | {s.uploaded_by for s in samples}
        | {a.saved_by for a in analyses} | {row.user_id for row in audit_rows},
        key=lambda user_id: user_id or 0,
    )  # fmt: skip
    return r.Records(
        configs=tuple(_configs(db, config_ids)),
        users=tuple(_users(db, [user_id for user_id in user_ids if user_id is not None])),
        sample_sets=tuple(sets),
        samples=tuple(samples),
        set_samples=tuple(links),
        results=tuple(results),
        fused_results=tuple(fused),
        analyses=tuple(analyses),
        audit_log=tuple(audit_rows),
    )


def _audit_rows(db: sqlite_utils.Database, table: str, ids: list[int]) -> list[r.AuditRecord]:
    if not ids:
        return []
    select = f"SELECT {', '.join(r.columns('audit_log'))} FROM audit_log WHERE table_name = ?"
    query = select + f" AND record_id IN ({', '.join('?' * len(ids))})"
    return [r.AuditRecord.model_validate(dict(row)) for row in db.query(query, [table, *ids])]


def _configs(db: sqlite_utils.Database, ids: list[int]) -> list[r.ConfigRecord]:
    select = "SELECT id, name, program, germline, options, description FROM configs"
    rows = db.query(_select_in(select, "id", ids), ids) if ids else []
    return [r.ConfigRecord.model_validate({**row, "options": json.loads(row["options"])})
            for row in rows]  # fmt: skip


def _users(db: sqlite_utils.Database, ids: list[int]) -> list[r.UserRecord]:
    rows = db.query(_select_in("SELECT id, email FROM users", "id", ids), ids) if ids else []
    return [r.UserRecord.model_validate(row) for row in rows]


# -- the archive -------------------------------------------------------------------------------
def _write(
    part: Path,
    settings: Settings,
    snapshot: r.Records,
    scope_and_schema: tuple[str, int],
    with_sequences: bool,
) -> str:
    label, schema = scope_and_schema
    entries: list[r.ArchivedFile] = []
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        entries.append(_add_bytes(archive, r.RECORDS, _records_json(snapshot)))
        for name, source in _files(settings, snapshot, with_sequences):
            entries.append(_add_file(archive, name, source))
        manifest = r.Manifest(
            format=r.FORMAT, format_version=r.FORMAT_VERSION, app_version=__version__,
            schema_version=schema, created_at=now(), scope=label,
            with_sequences=with_sequences, files=tuple(entries),
        )  # fmt: skip
        content = manifest.model_dump_json(indent=1).encode()
        archive.writestr(r.MANIFEST, content)
    return hashlib.sha256(content).hexdigest()


def _records_json(snapshot: r.Records) -> bytes:
    return snapshot.model_dump_json(indent=1).encode()


def _files(
    settings: Settings, snapshot: r.Records, with_sequences: bool
) -> Iterator[tuple[str, Path]]:
    """Each member's name in the archive and the file it copies."""
    for result in snapshot.results:
        folder = settings.results_dir / result.folder
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield f"results/{path.relative_to(settings.results_dir).as_posix()}", path
    for fused in snapshot.fused_results:
        yield f"results/{fused.path}", settings.results_dir / fused.path
    if with_sequences:
        for sample in snapshot.samples:
            for number, stored in ((1, sample.stored_name), (2, sample.stored_name2)):
                if stored:
                    yield (
                        sequence_member(sample.id, number, stored),
                        (Path(stored) if sample.network else settings.sequences_dir / stored),
                    )


def sequence_member(sample_id: int, number: int, stored: str) -> str:
    return f"sequences/{sample_id}/{number}/{Path(stored).name}"


def _add_bytes(archive: zipfile.ZipFile, name: str, content: bytes) -> r.ArchivedFile:
    archive.writestr(name, content)
    return r.ArchivedFile(path=name, size=len(content), sha256=hashlib.sha256(content).hexdigest())


def _add_file(archive: zipfile.ZipFile, name: str, source: Path) -> r.ArchivedFile:
    digest = hashlib.sha256()
    size = 0
    compress = zipfile.ZIP_STORED if source.suffix == ".gz" else zipfile.ZIP_DEFLATED
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compress
    with source.open("rb") as file, archive.open(info, "w", force_zip64=True) as member:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return r.ArchivedFile(path=name, size=size, sha256=digest.hexdigest())
