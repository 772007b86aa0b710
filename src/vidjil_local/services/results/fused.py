"""The fused result of a set (one multi-sample `.vidjil` per set and config), in the app process:
queue a `fuse` job when the set's latest results change, record its file when it is done, drop it
when no result is left. `db` arguments are the caller's transaction; `database` opens its own."""

from __future__ import annotations

import json
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.db import Database, after_commit
from vidjil_local.db import jobs as job_records
from vidjil_local.db.clock import now
from vidjil_local.db.jobs import JobStatus
from vidjil_local.services.results.fuse_params import FuseInput, FuseParams


def latest_inputs(db: sqlite_utils.Database, set_id: int, config_id: int) -> list[FuseInput]:
    """The latest result of each sample of the set for this config, in the set's sample order."""
    rows = db.query(
        "SELECT r.id AS result_id, r.folder, r.summary, s.id AS sample_id, s.original_name, "
        "s.sampling_date, s.info FROM set_samples ss JOIN samples s ON s.id = ss.sample_id "
        "JOIN results r ON r.id = (SELECT max(id) FROM results WHERE sample_id = s.id "
        "AND config_id = ?) WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
        [config_id, set_id],
    )
    return [
        FuseInput(
            result_id=row["result_id"],
            sample_id=row["sample_id"],
            name=row["original_name"],
            sampling_date=row["sampling_date"],
            info=row["info"],
            path=f"{row['folder']}/{json.loads(row['summary'])['vidjil']}",
        )
        for row in rows
    ]


def queue_fuse(
    db: sqlite_utils.Database,
    results_dir: Path,
    *,
    set_id: int,
    config_id: int,
    user_id: int | None,
) -> int | None:
    """Queue a `fuse` of the set's latest results (inside the caller's transaction) and return
    its job id, for the caller to send after the commit; None when a fuse still waiting took the
    newest inputs, or when no result is left (then the set's fused result goes, as in Vidjil)."""
    inputs = latest_inputs(db, set_id, config_id)
    if not inputs:
        _drop_fused(db, results_dir, set_id, config_id)
        return None
    config_name = db.execute("SELECT name FROM configs WHERE id = ?", [config_id]).fetchone()[0]
    params = FuseParams(
        sample_set_id=set_id,
        config_id=config_id,
        config_name=config_name,
        inputs=tuple(inputs),
        results_dir=results_dir,
        path=f"fused/{set_id}/{config_id}/{uuid.uuid4().hex}.vidjil",
    )
    updated = db.execute(
        "UPDATE jobs SET params = ? WHERE kind = 'fuse' AND status = ? "
        "AND sample_set_id = ? AND config_id = ?",
        [params.to_json(), JobStatus.QUEUED, set_id, config_id],
    )
    if updated.rowcount:
        return (
            None  # a fuse still waiting now takes the newest inputs: one fuse, not one per sample
        )
    links = {"user_id": user_id, "config_id": config_id, "sample_set_id": set_id}
    return job_records.insert(db, "fuse", params, **links)


def record_fuse(
    database: Database, job: job_records.Job, params: FuseParams, result: dict[str, Any]
) -> list[int]:
    """The set's fused result, unless newer results made it stale: then the file is removed and
    a later fuse is queued for them (its id returned, for the runtime to send)."""
    set_config = [params.sample_set_id, params.config_id]
    with database.write() as db:
        current = [item.result_id for item in latest_inputs(db, *set_config)]
        if current != params.result_ids:  # results or samples changed meanwhile: fuse again
            after_commit(db, partial((params.results_dir / params.path).unlink, missing_ok=True))
            queued = queue_fuse(
                db, params.results_dir, set_id=params.sample_set_id, config_id=params.config_id,
                user_id=job.user_id,
            )  # fmt: skip
            return [queued] if queued is not None else []
        old = db.execute(
            "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?", set_config
        ).fetchone()
        db.table("fused_results").upsert(
            {
                "sample_set_id": params.sample_set_id,
                "config_id": params.config_id,
                "path": params.path,
                "result_ids": json.dumps(params.result_ids),
                "updated_at": now(),
            },
            pk=("sample_set_id", "config_id"),
        )
    if old is not None and old[0] != params.path:
        (params.results_dir / old[0]).unlink(missing_ok=True)
    return []


def _drop_fused(db: sqlite_utils.Database, results_dir: Path, set_id: int, config_id: int) -> None:
    """The set's fused result goes: its row in the caller's transaction, its file once that
    commits (a rollback or a crash before keeps both; a kill after leaves an unrecorded file,
    which `leftovers.py` removes at the next start)."""
    where = "WHERE sample_set_id = ? AND config_id = ?"
    old = db.execute(f"SELECT path FROM fused_results {where}", [set_id, config_id]).fetchone()
    if old is not None:
        db.execute(f"DELETE FROM fused_results {where}", [set_id, config_id])
        after_commit(db, partial((results_dir / old[0]).unlink, missing_ok=True))
