"""Write a classic Vidjil server's export (read by `vidjil_export.py`) into this install: its
sets to one group, its sequence files as samples waiting for their reads, its results read as the
import config reads them (our `.vidjil` and AIRR written from them, the original kept beside),
its `.analysis` files as analysis versions; then a fuse per set and config, queued for the app
(sent at once by a running app, at its next start otherwise). Result files are written into a
staging folder first, then renamed in the transaction that inserts the rows."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import InputFormatError
from vidjil_local.results import import_result, write_airr, write_vidjil
from vidjil_local.services import audit
from vidjil_local.services.analyses.work import base_name
from vidjil_local.services.exchange.vidjil_export import (
    SET_KINDS,
    ResultsFileRow,
    SetRow,
    VidjilPlan,
    read_analysis,
    refuse_unmapped,
    results_to_import,
)
from vidjil_local.services.results.fused import queue_fuse
from vidjil_local.settings import Settings

NOT_UPLOADED = "imported from a Vidjil server without its sequence file"


@dataclass(frozen=True)
class StagedResult:
    old_id: int
    row: ResultsFileRow
    folder: Path
    summary: dict[str, Any]


@dataclass(frozen=True)
class VidjilImported:
    set_ids: dict[int, int]  # Vidjil sample_set id -> ours
    samples: int
    results: int
    analyses: int
    fuses: list[int]
    skipped: list[str]


def import_vidjil_export(
    database: Database, settings: Settings, actor: audit.Actor, plan: VidjilPlan
) -> VidjilImported:
    refuse_unmapped(plan)
    settings.results_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vidjil-export-", dir=settings.data_dir))
    try:
        staged = [_stage(plan, staging, *chosen) for chosen in results_to_import(plan)]
        return _write(database, settings, actor, plan, [s for s in staged if s is not None])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(
    plan: VidjilPlan, staging: Path, old_id: int, row: ResultsFileRow, path: Path
) -> StagedResult | None:
    try:
        result = import_result(path)
    except InputFormatError as error:
        plan.skipped.append(f"result {old_id} ({path.name}): {error.message}")
        return None
    sequence_file = plan.export.tables.sequence_file.get(row.sequence_file_id)
    original = (sequence_file.filename if sequence_file else None) or path.name
    result.samples[0].original_name = original
    folder = staging / str(old_id)
    folder.mkdir()
    name = base_name(original)
    write_vidjil(result, folder / f"{name}.vidjil")
    write_airr(result, folder / f"{name}.tsv")
    shutil.copyfile(path, folder / "vidjil-server-original.vidjil")
    sample = result.samples[0]
    summary = {"reads": sample.total_reads, "segmented": sample.segmented_reads,
               "per_locus": sample.reads_per_locus, "clones": len(result.clones),
               "vidjil": f"{name}.vidjil", "airr": f"{name}.tsv", "program": "import",
               "germline": result.germline}  # fmt: skip
    return StagedResult(old_id, row, folder, summary)


def _write(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    plan: VidjilPlan,
    staged: list[StagedResult],
) -> VidjilImported:
    placed: list[Path] = []
    with database.write() as db:
        try:
            sets = _insert_sets(db, plan)
            samples = _insert_samples(db, plan, sets)
            for item in staged:
                sample_id = samples.get(item.row.sequence_file_id)
                if sample_id is None:
                    plan.skipped.append(f"result {item.old_id}: its sequence file is not exported")
                    continue
                folder = f"{sample_id}/vidjil-server-{item.old_id}"
                (settings.results_dir / str(sample_id)).mkdir(parents=True, exist_ok=True)
                item.folder.rename(settings.results_dir / folder)
                placed.append(settings.results_dir / folder)
                db.table("results").insert({
                    "sample_id": sample_id, "config_id": plan.configs[item.row.config_id or 0],
                    "job_id": None, "created_at": item.row.run_date or now(), "folder": folder,
                    "summary": json.dumps(item.summary),
                })  # fmt: skip
            analyses = _insert_analyses(db, plan, sets)
            fuses = _queue_fuses(db, settings, sets, actor)
            for old, new in sets.items():
                audit.record(db, actor, "imported_from_vidjil", "sample_sets", new,
                             folder=str(plan.export.folder), vidjil_sample_set_id=old)  # fmt: skip
        except BaseException:
            for path in placed:
                shutil.rmtree(path, ignore_errors=True)
            raise
    return VidjilImported(sets, len(samples), len(placed), analyses, fuses, plan.skipped)


def _insert_sets(db: sqlite_utils.Database, plan: VidjilPlan) -> dict[int, int]:
    sets: dict[int, int] = {}
    for kind in SET_KINDS:
        rows: dict[int, SetRow] = getattr(plan.export.tables, kind)
        for _, row in sorted(rows.items()):
            stamp = now()
            fields = {"kind": kind, "name": row.name or "", "first_name": row.first_name or "",
                      "last_name": row.last_name or "", "birth": row.birth,
                      "id_label": row.id_label or "", "run_date": row.run_date,
                      "sequencer": row.sequencer or "", "pcr": row.pcr or "",
                      "info": row.info or "", "created_by": None, "created_at": stamp,
                      "updated_at": stamp}  # fmt: skip
            new_id = int(db.table("sample_sets").insert(fields).last_pk or 0)
            db.table("set_access").insert({"sample_set_id": new_id, "group_id": plan.group_id})
            sets[row.sample_set_id] = new_id
    return sets


def _insert_samples(
    db: sqlite_utils.Database, plan: VidjilPlan, sets: dict[int, int]
) -> dict[int, int]:
    """Only sequence files in an exported set; their links in the order of the memberships."""
    tables = plan.export.tables
    samples: dict[int, int] = {}
    positions: dict[int, int] = {}
    for _, link in sorted(tables.membership.items()):
        set_id = sets.get(link.sample_set_id or 0)
        row = tables.sequence_file.get(link.sequence_file_id)
        if set_id is None or row is None:
            continue
        if link.sequence_file_id not in samples:
            fields = {"original_name": row.filename or f"vidjil-{link.sequence_file_id}",
                      "size": row.size_file or 0, "network": int(bool(row.network)),
                      "status": "waiting", "status_message": NOT_UPLOADED,
                      "sampling_date": row.sampling_date, "info": row.info or "",
                      "pcr": row.pcr or "", "sequencer": row.sequencer or "",
                      "producer": row.producer or "", "created_at": now()}  # fmt: skip
            samples[link.sequence_file_id] = int(db.table("samples").insert(fields).last_pk or 0)
        position = positions.get(set_id, 0)
        positions[set_id] = position + 1
        db.table("set_samples").insert(
            {"sample_set_id": set_id, "sample_id": samples[link.sequence_file_id],
             "position": position}, ignore=True,
        )  # fmt: skip
    return samples


def _insert_analyses(db: sqlite_utils.Database, plan: VidjilPlan, sets: dict[int, int]) -> int:
    count = 0
    for old_id, row in sorted(plan.export.tables.analysis_file.items()):
        set_id = sets.get(row.sample_set_id or 0)
        content = read_analysis(plan, old_id, row) if set_id is not None else None
        if set_id is None or content is None:
            continue
        db.table("analyses").insert({"sample_set_id": set_id, "saved_by": None,
                                     "saved_at": row.analyze_date or now(),
                                     "content": json.dumps(content)})  # fmt: skip
        count += 1
    return count


def _queue_fuses(
    db: sqlite_utils.Database, settings: Settings, sets: dict[int, int], actor: audit.Actor
) -> list[int]:
    pairs = db.execute(
        f"SELECT DISTINCT ss.sample_set_id, r.config_id FROM set_samples ss JOIN results r ON "
        f"r.sample_id = ss.sample_id WHERE ss.sample_set_id IN ({', '.join('?' * len(sets))}) "
        "ORDER BY 1, 2",
        list(sets.values()),
    ).fetchall() if sets else []  # fmt: skip
    queued = [queue_fuse(db, settings.results_dir, set_id=set_id, config_id=config_id,
                         user_id=actor.user_id) for set_id, config_id in pairs]  # fmt: skip
    return [job_id for job_id in queued if job_id is not None]
