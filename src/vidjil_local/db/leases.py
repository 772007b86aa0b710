"""The lease a worker machine holds on the job it runs (the app's own workers need none).

A worker claims a queued job for `lease` seconds (`claim`), and renews the lease with each
progress report (`renew`). A worker that stops renewing (killed, cut off) loses the job: the
runtime's sweep finds the lease `expired` and puts the job back in the queue, to finish elsewhere.
Every call names the attempt it holds (the job's `attempts` when it was claimed): a worker that
lost its lease cannot report progress or a result for a later attempt, so a result is stored once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from vidjil_local.db.clock import now
from vidjil_local.db.connect import Database
from vidjil_local.db.jobs import Job, get
from vidjil_local.errors import Conflict


class LeaseLost(Conflict):
    """The job is no longer this worker's: its lease expired, it was cancelled or finished."""

    code = "lease_lost"


def later(seconds: float) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="milliseconds")


def claim(
    database: Database, job_id: int, worker_id: int, lease: float, kinds: Iterable[str]
) -> Job | None:
    """Mark a queued job of one of `kinds` running on `worker_id`; None when another took it."""
    allowed = list(kinds)
    marks = ", ".join("?" for _ in allowed)
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, "
            "progress = 0, worker_id = ?, lease_expires_at = ? "
            f"WHERE id = ? AND status = 'queued' AND kind IN ({marks})",
            [now(), worker_id, later(lease), job_id, *allowed],
        )
        claimed = cursor.rowcount == 1
    return get(database, job_id) if claimed else None


def renew(
    database: Database,
    job_id: int,
    worker_id: int,
    attempt: int,
    lease: float,
    progress: float | None = None,
) -> bool:
    """Extend the lease (and record progress); return whether a cancel was asked."""
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET lease_expires_at = ?, progress = coalesce(?, progress) "
            "WHERE id = ? AND worker_id = ? AND attempts = ? AND status = 'running'",
            [later(lease), _fraction(progress), job_id, worker_id, attempt],
        )
        if cursor.rowcount != 1:
            raise LeaseLost(
                f"job {job_id} is no longer held by this worker (lease expired, cancelled or "
                "finished elsewhere)",
                job_id=job_id,
            )
        row = db.execute("SELECT cancel_requested FROM jobs WHERE id = ?", [job_id]).fetchone()
    return bool(row[0])


def expired(database: Database) -> list[Job]:
    """Running jobs of worker machines whose lease has passed."""
    rows = database.db().query(
        "SELECT * FROM jobs WHERE status = 'running' AND worker_id IS NOT NULL "
        "AND lease_expires_at < ? ORDER BY id",
        [now()],
    )
    return [Job.from_row(row) for row in rows]


LOST = {
    "code": "worker_lost",
    "message": "the worker machine running it stopped reporting (its lease expired)",
}


def take_back(database: Database, job_id: int, *, retry: bool) -> bool:
    """A job whose lease is still expired goes back to the queue (or fails when no attempt
    remains); False when its worker renewed meanwhile."""
    status = "queued" if retry else "failed"
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET status = ?, error = ?, worker_id = CASE WHEN ? = 'queued' THEN NULL "
            "ELSE worker_id END, lease_expires_at = NULL, finished_at = CASE WHEN ? = 'failed' "
            "THEN ? END WHERE id = ? AND status = 'running' AND worker_id IS NOT NULL "
            "AND lease_expires_at < ?",
            [status, json.dumps(LOST), status, status, now(), job_id, now()],
        )
        return cursor.rowcount == 1


def release(database: Database, job_id: int, worker_id: int, error: dict[str, str]) -> bool:
    """The worker stops: its job goes back to the queue, the attempt not counted."""
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET status = 'queued', attempts = max(attempts - 1, 0), error = ?, "
            "worker_id = NULL, lease_expires_at = NULL "
            "WHERE id = ? AND worker_id = ? AND status = 'running'",
            [json.dumps(error), job_id, worker_id],
        )
        return cursor.rowcount == 1


def extend_all(database: Database, lease: float) -> int:
    """At the server's start: its workers could not renew while it was down; give them a lease."""
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET lease_expires_at = ? "
            "WHERE status = 'running' AND worker_id IS NOT NULL AND lease_expires_at < ?",
            [later(lease), later(lease)],
        )
        return int(cursor.rowcount)


def running_on(database: Database, worker_id: int) -> list[int]:
    rows = database.db().execute(
        "SELECT id FROM jobs WHERE worker_id = ? AND status = 'running' ORDER BY id", [worker_id]
    )
    return [int(row[0]) for row in rows.fetchall()]


def _fraction(progress: float | None) -> float | None:
    return None if progress is None else min(max(progress, 0.0), 1.0)
