"""Back in the app process: record what a finished `analysis` job produced (the single writer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vidjil_local.db import Database
from vidjil_local.db import jobs as job_records
from vidjil_local.db.clock import now
from vidjil_local.services import audit
from vidjil_local.services.authz import sets_of_sample
from vidjil_local.services.results.fused import queue_fuse


def record_analysis(database: Database, job: job_records.Job, result: dict[str, Any]) -> None:
    """on_complete of `analysis`: a new `results` row (history kept), then a fuse per set."""
    params = job.params
    with database.write() as db:
        if db.execute("SELECT 1 FROM results WHERE job_id = ?", [job.id]).fetchone():
            return  # recorded before a crash left the job running: its re-run adds nothing
        user = db.execute("SELECT email FROM users WHERE id = ?", [job.user_id]).fetchone()
        actor = audit.Actor(job.user_id, user[0] if user else "")  # who launched it
        result_id = int(
            db.table("results")
            .insert(
                {
                    "sample_id": params["sample_id"],
                    "config_id": params["config_id"],
                    "job_id": job.id,
                    "created_at": now(),
                    "folder": params["folder"],
                    "summary": json.dumps(result),
                }
            )
            .last_pk
            or 0
        )
        audit.record(db, actor, "analysis_completed", "results", result_id, job_id=job.id)
        for set_id in sets_of_sample(db, params["sample_id"]):
            queue_fuse(db, Path(params["results_dir"]), set_id, params["config_id"], job.user_id)
