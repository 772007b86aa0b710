"""Back in the app process: record what a finished `analysis` job produced (the single writer)."""

from __future__ import annotations

import json
from typing import Any

from vidjil_local.db import Database
from vidjil_local.db import jobs as job_records
from vidjil_local.db.clock import now
from vidjil_local.services import audit
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.authz import sets_of_sample
from vidjil_local.services.results.fused import queue_fuse


def record_analysis(
    database: Database, job: job_records.Job, params: AnalysisParams, result: dict[str, Any]
) -> list[int]:
    """A new `results` row (history kept), then a fuse of each set holding the sample; returns
    the fuse jobs queued, for the runtime to send once this transaction is committed."""
    with database.write() as db:
        if db.execute("SELECT 1 FROM results WHERE job_id = ?", [job.id]).fetchone():
            return []  # recorded before a crash left the job running: its re-run adds nothing
        user = db.execute("SELECT email FROM users WHERE id = ?", [job.user_id]).fetchone()
        actor = audit.Actor(job.user_id, user[0] if user else "")  # who launched it
        row = {
            "sample_id": params.sample_id,
            "config_id": params.config_id,
            "job_id": job.id,
            "created_at": now(),
            "folder": params.folder,
            "summary": json.dumps(result),
        }
        result_id = int(db.table("results").insert(row).last_pk or 0)
        audit.record(db, actor, "analysis_completed", "results", result_id, job_id=job.id)
        queued = [
            queue_fuse(
                db, params.results_dir, set_id=set_id, config_id=params.config_id,
                user_id=job.user_id,
            )
            for set_id in sets_of_sample(db, params.sample_id)
        ]  # fmt: skip
    return [job_id for job_id in queued if job_id is not None]
