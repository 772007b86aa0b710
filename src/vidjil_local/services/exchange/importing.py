"""Import an exchange archive into this install (the Vidjil migrator's import): its sets given to
one group here, each archived config mapped to a config here (same name, program and germline by
default; the admin maps the others, as in the migrator's config.json), users matched by e-mail.

Nothing is written before the whole archive checked out (`archive.open_archive`). Files are
copied into a staging folder of the data folder first; then, in one write transaction, the rows
get new ids and the staged files are renamed to their places, so an error leaves no row behind
and a crash at worst a few files no row points to."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.errors import NotFound, UsageError
from vidjil_local.services import audit
from vidjil_local.services.exchange import records as r
from vidjil_local.services.exchange.archive import Archive, extract, open_archive
from vidjil_local.services.exchange.consistency import check_consistent
from vidjil_local.services.exchange.export import sequence_member
from vidjil_local.settings import Settings

UPLOADED_NAME = re.compile(r"^\d+_[12](\.[A-Za-z0-9.]+)$")


@dataclass(frozen=True)
class ConfigLink:
    archived: r.ConfigRecord
    local_id: int | None  # None: not mapped yet
    local_name: str | None


@dataclass(frozen=True)
class Plan:
    """What an import would do, shown before it is done (`vidjil-local import --check`)."""

    archive: Archive
    group_id: int
    group_name: str
    configs: tuple[ConfigLink, ...]
    users_matched: int

    @property
    def unmapped(self) -> list[r.ConfigRecord]:
        return [link.archived for link in self.configs if link.local_id is None]


@dataclass(frozen=True)
class Imported:
    plan: Plan
    set_ids: dict[int, int]  # archived id -> new id
    samples: int
    results: int
    analyses: int
    files: int


def plan_import(
    database: Database,
    path: Path,
    *,
    group: str,
    config_map: Mapping[str, str] | None = None,
    expected_fingerprint: str | None = None,
) -> Plan:
    """Check the archive and how it maps onto this install, writing nothing."""
    archive = checked_archive(path, expected_fingerprint)
    db = database.db()
    found = db.execute(
        "SELECT id, name FROM groups WHERE name = ? OR CAST(id AS TEXT) = ?", [group, group]
    ).fetchone()
    if found is None:
        raise NotFound(f"no group {group!r} here: create it first, it will own the imported sets")
    links = link_configs(db, archive, config_map or {})
    return Plan(archive, found[0], found[1], links, users_matched(db, archive))


def checked_archive(path: Path, expected_fingerprint: str | None = None) -> Archive:
    """The archive once every member and every row checked out (ArchiveRefused otherwise)."""
    archive = open_archive(path, expected_fingerprint)
    check_consistent(archive)
    return archive


def link_configs(
    db: sqlite_utils.Database, archive: Archive, config_map: Mapping[str, str]
) -> tuple[ConfigLink, ...]:
    """Each archived config with the config here it maps to (given, or the same name, program
    and germline; None: not mapped)."""
    return tuple(_link(db, config, config_map) for config in archive.records.configs)


def users_matched(db: sqlite_utils.Database, archive: Archive) -> int:
    emails = [user.email for user in archive.records.users]
    return sum(1 for email in emails if _user_id(db, email) is not None)


def import_archive(
    database: Database, settings: Settings, actor: audit.Actor, plan: Plan
) -> Imported:
    if plan.unmapped:
        raise UsageError(
            "map each config of the archive to one of this install (--config OLD=NEW): "
            + "; ".join(_described(config) for config in plan.unmapped),
            unmapped=[config.id for config in plan.unmapped],
        )
    configs = {link.archived.id: int(link.local_id or 0) for link in plan.configs}
    _refuse_merged_fused(plan.archive.records, configs)
    settings.results_dir.mkdir(parents=True, exist_ok=True)
    settings.sequences_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".exchange-", dir=settings.data_dir))
    try:
        staged = _stage(plan.archive, staging)
        return _insert(database, settings, actor, plan, configs, staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _link(
    db: sqlite_utils.Database, config: r.ConfigRecord, given: Mapping[str, str]
) -> ConfigLink:
    wanted = given.get(str(config.id), given.get(config.name))
    if wanted is not None:
        row = db.execute(
            "SELECT id, name FROM configs WHERE CAST(id AS TEXT) = ? OR name = ?", [wanted, wanted]
        ).fetchone()
        if row is None:
            raise NotFound(f"no config {wanted!r} here (asked for archived config {config.id})")
        return ConfigLink(config, row[0], row[1])
    row = db.execute(
        "SELECT id, name FROM configs WHERE name = ? AND program = ? AND germline = ?",
        [config.name, config.program, config.germline],
    ).fetchone()
    return ConfigLink(config, row[0] if row else None, row[1] if row else None)


def _described(config: r.ConfigRecord) -> str:
    return f"config {config.id} {config.name!r} ({config.program}, {config.germline})"


def _refuse_merged_fused(records: r.Records, configs: dict[int, int]) -> None:
    seen: set[tuple[int, int]] = set()
    for fused in records.fused_results:
        key = (fused.sample_set_id, configs[fused.config_id])
        if key in seen:
            raise UsageError(
                f"two configs of set {fused.sample_set_id} map to config {key[1]}: each config "
                "of a set must map to a different config here"
            )
        seen.add(key)


def _user_id(db: sqlite_utils.Database, email: str) -> int | None:
    row = db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()
    return int(row[0]) if row else None


def _stage(archive: Archive, staging: Path) -> dict[str, Path]:
    """Every file member copied (and checked again) into the staging folder."""
    staged: dict[str, Path] = {}
    for number, entry in enumerate(archive.manifest.files):
        if entry.path == r.RECORDS:
            continue
        target = staging / str(number)
        extract(archive.path, entry, target)
        staged[entry.path] = target
    return staged


# -- rows with new ids, files in their places, one transaction ---------------------------------
class _Writer:
    def __init__(
        self, db: sqlite_utils.Database, settings: Settings, records: r.Records,
        staged: dict[str, Path],
    ) -> None:  # fmt: skip
        self.db = db
        self.settings = settings
        self.records = records
        self.staged = staged
        self.placed: list[Path] = []
        users = {user.id: user.email for user in records.users}
        self.users = {old: _user_id(db, email) for old, email in users.items()}
        self.ids: dict[str, dict[int, int]] = {table: {} for table in r.ROW_MODELS}

    def user(self, old: int | None) -> int | None:
        return None if old is None else self.users.get(old)

    def place(self, member: str, target: Path) -> None:
        if target.exists():
            raise UsageError(f"{target} already exists: it will not be overwritten")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.staged[member].rename(target)
        self.placed.append(target)

    def insert(self, table: str, row: dict[str, Any], old_id: int | None = None) -> int:
        new_id = int(self.db.table(table).insert(row).last_pk or 0)
        if old_id is not None:
            self.ids[table][old_id] = new_id
        return new_id

    def undo_files(self) -> None:
        for path in reversed(self.placed):
            path.unlink(missing_ok=True)


def _insert(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    plan: Plan,
    configs: dict[int, int],
    staged: dict[str, Path],
) -> Imported:
    records = plan.archive.records
    with database.write() as db:
        writer = _Writer(db, settings, records, staged)
        try:
            _write_sets(writer, plan)
            _write_samples(writer, plan.archive.manifest.with_sequences)
            _write_results(writer, configs)
            _write_analyses_and_audit(writer, actor, plan)
        except BaseException:
            writer.undo_files()
            raise
    return Imported(plan, dict(writer.ids["sample_sets"]), len(records.samples),
                    len(records.results), len(records.analyses), len(writer.placed))  # fmt: skip


def _write_sets(writer: _Writer, plan: Plan) -> None:
    for record in plan.archive.records.sample_sets:
        row = record.model_dump(exclude={"id"})
        row["created_by"] = writer.user(record.created_by)
        new_id = writer.insert("sample_sets", row, record.id)
        writer.db.table("set_access").insert({"sample_set_id": new_id, "group_id": plan.group_id})


def _write_samples(writer: _Writer, with_sequences: bool) -> None:
    for record in writer.records.samples:
        row = record.model_dump(exclude={"id"})
        row["uploaded_by"] = writer.user(record.uploaded_by)
        new_id = writer.insert("samples", row, record.id)
        update = _sample_files(writer, record, new_id, with_sequences)
        if update:
            writer.db.table("samples").update(new_id, update)
    for link in writer.records.set_samples:
        writer.db.table("set_samples").insert({
            "sample_set_id": writer.ids["sample_sets"][link.sample_set_id],
            "sample_id": writer.ids["samples"][link.sample_id],
            "position": link.position,
        })  # fmt: skip


def _sample_files(
    writer: _Writer, record: r.SampleRecord, new_id: int, with_sequences: bool
) -> dict[str, Any]:
    """Where the sample's reads now are: copied from the archive, still on the network share
    they were linked from, or nowhere (the sample waits for them to be uploaded again)."""
    update: dict[str, Any] = {}
    for number, stored in ((1, record.stored_name), (2, record.stored_name2)):
        column = "stored_name" if number == 1 else "stored_name2"
        if not stored:
            continue
        if with_sequences:
            name = Path(stored).name
            target = writer.settings.sequences_dir / f"{new_id}_{number}{_suffix(name)}"
            writer.place(sequence_member(record.id, number, stored), target)
            update.update({column: target.name, "network": 0})
        elif not record.network:
            update.update({column: None, "status": "waiting",
                           "status_message": "imported without its sequence file"})  # fmt: skip
    return update


def _suffix(name: str) -> str:
    uploaded = UPLOADED_NAME.match(name)
    if uploaded:
        return uploaded.group(1)
    suffixes = Path(name).suffixes
    return "".join(suffixes[-2:] if suffixes and suffixes[-1] == ".gz" else suffixes[-1:])


def _write_results(writer: _Writer, configs: dict[int, int]) -> None:
    for result in writer.records.results:
        sample_id = writer.ids["samples"][result.sample_id]
        folder = f"{sample_id}/imported-{result.id}"
        for member in sorted(writer.staged):
            if member.startswith(f"results/{result.folder}/"):
                relative = member.removeprefix(f"results/{result.folder}/")
                writer.place(member, writer.settings.results_dir / folder / relative)
        row = {
            "sample_id": sample_id,
            "config_id": configs[result.config_id],
            "job_id": None,
            "created_at": result.created_at,
            "folder": folder,
            "summary": result.summary,
        }
        writer.insert("results", row, result.id)
    for fused in writer.records.fused_results:
        set_id = writer.ids["sample_sets"][fused.sample_set_id]
        config_id = configs[fused.config_id]
        path = f"fused/{set_id}/{config_id}/{uuid.uuid4().hex}.vidjil"
        writer.place(f"results/{fused.path}", writer.settings.results_dir / path)
        result_ids = [writer.ids["results"][old] for old in json.loads(fused.result_ids)]
        writer.db.table("fused_results").insert({
            "sample_set_id": set_id, "config_id": config_id, "path": path,
            "result_ids": json.dumps(result_ids), "updated_at": fused.updated_at,
        })  # fmt: skip
        writer.ids["fused_results"][fused.sample_set_id] = set_id


def _write_analyses_and_audit(writer: _Writer, actor: audit.Actor, plan: Plan) -> None:
    for analysis in writer.records.analyses:
        row = analysis.model_dump(exclude={"id"})
        row["sample_set_id"] = writer.ids["sample_sets"][analysis.sample_set_id]
        row["saved_by"] = writer.user(analysis.saved_by)
        writer.insert("analyses", row, analysis.id)
    for entry in writer.records.audit_log:
        row = entry.model_dump(exclude={"id"})
        row["user_id"] = writer.user(entry.user_id)
        ids = writer.ids.get(entry.table_name, {})
        row["record_id"] = None if entry.record_id is None else ids.get(entry.record_id)
        writer.insert("audit_log", row)
    for old, new in writer.ids["sample_sets"].items():
        audit.record(writer.db, actor, "imported", "sample_sets", new,
                     archive=plan.archive.path.name, fingerprint=plan.archive.fingerprint,
                     archived_id=old, group_id=plan.group_id)  # fmt: skip
