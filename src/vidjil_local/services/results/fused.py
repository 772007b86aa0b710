"""The fused result of a set (one multi-sample `.vidjil` per set and config), in the app process:
queue a `fuse` job when the set's latest results change, record its file when it is done, drop it
when no result is left. Every function here runs inside the caller's transaction or opens one."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db import jobs as job_records
from vidjil_local.db.clock import now


def latest_inputs(db: sqlite_utils.Database, set_id: int, config_id: int) -> list[dict[str, Any]]:
    """The latest result of each sample of the set for this config, in the set's sample order."""
    rows = db.query(
        "SELECT r.id AS result_id, r.folder, r.summary, s.id AS sample_id, s.original_name, "
        "s.sampling_date, s.info FROM set_samples ss JOIN samples s ON s.id = ss.sample_id "
        "JOIN results r ON r.id = (SELECT max(id) FROM results WHERE sample_id = s.id "
        "AND config_id = ?) WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
        [config_id, set_id],
    )
    return [
        {
            "result_id": row["result_id"],
            "sample_id": row["sample_id"],
            "name": row["original_name"],
            "sampling_date": row["sampling_date"],
            "info": row["info"],
            "path": f"{row['folder']}/{json.loads(row['summary'])['vidjil']}",
        }
        for row in rows
    ]


def queue_fuse(
    db: sqlite_utils.Database, results_dir: Path, set_id: int, config_id: int, user_id: int | None
) -> None:
    """Queue a `fuse` of the set's latest results (inside the caller's transaction); with no
    result left, the set's fused result goes (Vidjil does the same when results are deleted)."""
    inputs = latest_inputs(db, set_id, config_id)
    if not inputs:
        _drop_fused(db, results_dir, set_id, config_id)
        return
    config_name = db.execute("SELECT name FROM configs WHERE id = ?", [config_id]).fetchone()[0]
    params = {
        "sample_set_id": set_id,
        "config_id": config_id,
        "config_name": config_name,
        "inputs": inputs,
        "results_dir": str(results_dir),
        "path": f"fused/{set_id}/{config_id}/{uuid.uuid4().hex}.vidjil",
    }
    updated = db.execute(
        "UPDATE jobs SET params = ? WHERE kind = 'fuse' AND status = 'queued' "
        "AND sample_set_id = ? AND config_id = ?",
        [json.dumps(params), set_id, config_id],
    )
    if updated.rowcount:
        return  # a fuse still waiting now takes the newest inputs: one fuse, not one per sample
    db.table("jobs").insert(
        {
            "kind": "fuse",
            "params": json.dumps(params),
            "status": "queued",
            "created_at": now(),
            "user_id": user_id,
            "config_id": config_id,
            "sample_set_id": set_id,
        }
    )


def record_fuse(database: Database, job: job_records.Job, result: dict[str, Any]) -> None:
    """on_complete of `fuse`: the set's fused result, unless newer results made it stale (a later
    fuse job is queued for them; a stale file is removed)."""
    params = job.params
    results_dir = Path(params["results_dir"])
    used = [item["result_id"] for item in params["inputs"]]
    with database.write() as db:
        current = [item["result_id"] for item in latest_inputs(db, *_set_config(params))]
        if current != used:  # results or samples changed meanwhile: fuse again, keep nothing
            (results_dir / params["path"]).unlink(missing_ok=True)
            queue_fuse(db, results_dir, *_set_config(params), job.user_id)
            return
        old = db.execute(
            "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
            _set_config(params),
        ).fetchone()
        db.table("fused_results").upsert(
            {
                "sample_set_id": params["sample_set_id"],
                "config_id": params["config_id"],
                "path": params["path"],
                "result_ids": json.dumps(used),
                "updated_at": now(),
            },
            pk=("sample_set_id", "config_id"),
        )
    if old is not None and old[0] != params["path"]:
        (results_dir / old[0]).unlink(missing_ok=True)


def _drop_fused(db: sqlite_utils.Database, results_dir: Path, set_id: int, config_id: int) -> None:
    where = "WHERE sample_set_id = ? AND config_id = ?"
    old = db.execute(f"SELECT path FROM fused_results {where}", [set_id, config_id]).fetchone()
    if old is not None:
        db.execute(f"DELETE FROM fused_results {where}", [set_id, config_id])
        (results_dir / old[0]).unlink(missing_ok=True)


def _set_config(params: dict[str, Any]) -> tuple[int, int]:
    return int(params["sample_set_id"]), int(params["config_id"])
