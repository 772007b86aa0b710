"""The job queue as the Workers page shows it: what waits, what runs, and where."""

from __future__ import annotations

from dataclasses import dataclass

from vidjil_local.db import Database

MAX_LISTED = 200


@dataclass(frozen=True)
class QueuedJob:
    id: int
    kind: str
    status: str
    progress: float
    attempts: int
    created_at: str
    started_at: str | None
    sample_id: int | None
    sample_set_id: int | None
    worker_id: int | None  # None: this server's own workers (when running)
    worker_name: str | None


def waiting_and_running(database: Database, limit: int = MAX_LISTED) -> list[QueuedJob]:
    """Running jobs first, then queued ones, oldest first."""
    rows = database.db().query(
        "SELECT jobs.id, kind, status, progress, attempts, jobs.created_at, started_at, "
        "sample_id, sample_set_id, worker_id, workers.name AS worker_name FROM jobs "
        "LEFT JOIN workers ON workers.id = jobs.worker_id "
        "WHERE status IN ('running', 'queued') "
        "ORDER BY status = 'queued', jobs.id LIMIT ?",
        [limit],
    )
    return [QueuedJob(**row) for row in rows]
