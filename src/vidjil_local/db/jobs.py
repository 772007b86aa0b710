"""The job queue's source of truth: the `jobs` table.

A job row is committed before its message is sent (`submit`), claimed atomically by one worker
(`claim`), and every state change is one short write transaction. `recover` puts back what a
crash or a kill left queued or running, so no queued job and no finished result is ever lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, Self

import sqlite_utils
from pydantic import BaseModel, ConfigDict, ValidationError

from vidjil_local.db.clock import now
from vidjil_local.db.connect import Database
from vidjil_local.errors import Conflict, NotFound, invalid_fields

Enqueue = Callable[[int], None]


class Reporter(Protocol):
    """What a job's work is given besides its parameters: call it with the fraction done; ask
    `cores()` how many cores it may use now (its share of the machine's, which changes as other
    jobs start and end; `jobs/cores.py`)."""

    def __call__(self, fraction: float) -> None: ...

    def cores(self) -> int: ...


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


STATES = tuple(JobStatus)
FINISHED = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobParams(BaseModel):
    """Base of every job kind's parameters: frozen, unknown keys refused. Stored as JSON in
    `jobs.params` (`to_json`), read back and checked field by field (`from_stored`): the one
    serialisation, the same in the app process and in the job's child process."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_stored(cls, values: Mapping[str, Any]) -> Self:
        """The parameters from a stored row; a UsageError naming each bad field otherwise."""
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            raise invalid_fields(error, f"{cls.__name__} of the job") from None

    @classmethod
    def checked(cls, **values: Any) -> Self:
        """New parameters from a caller's values, refused field by field as a UsageError."""
        try:
            return cls(**values)
        except ValidationError as error:
            raise invalid_fields(error, "job parameters") from None


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    params: dict[str, Any]  # as stored: each kind reads them with its `JobParams` model
    status: JobStatus
    progress: float
    attempts: int
    cancel_requested: bool
    created_at: str
    started_at: str | None
    finished_at: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    user_id: int | None = None
    sample_id: int | None = None
    config_id: int | None = None
    sample_set_id: int | None = None
    worker_id: int | None = None  # the worker machine running or that ran it; None: this app

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        return cls(
            id=row["id"],
            kind=row["kind"],
            params=json.loads(row["params"]),
            status=JobStatus(row["status"]),
            progress=row["progress"],
            attempts=row["attempts"],
            cancel_requested=bool(row["cancel_requested"]),
            created_at=row["created_at"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            result=json.loads(row["result"]) if row["result"] else None,
            error=json.loads(row["error"]) if row["error"] else None,
            **{link: row.get(link) for link in LINKS},
            worker_id=row.get("worker_id"),
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


LINKS = ("user_id", "sample_id", "config_id", "sample_set_id")


def insert(db: sqlite_utils.Database, kind: str, params: JobParams, **links: int | None) -> int:
    """A queued job row inside the caller's transaction; its message is sent after the commit."""
    unknown = set(links) - set(LINKS)
    assert not unknown, unknown
    row: dict[str, Any] = {
        "kind": kind,
        "params": params.to_json(),
        "status": JobStatus.QUEUED,
        "created_at": now(),
        **links,
    }
    return int(db.table("jobs").insert(row).last_pk or 0)


def submit(
    database: Database, enqueue: Enqueue, kind: str, params: JobParams, **links: int | None
) -> Job:
    """Insert the job, commit, then send its id: a worker never sees a message without its row."""
    with database.write() as db:
        job_id = insert(db, kind, params, **links)
    enqueue(job_id)
    return get(database, job_id)


def get(database: Database, job_id: int) -> Job:
    rows = list(database.db().query("SELECT * FROM jobs WHERE id = ?", [job_id]))
    if not rows:
        raise NotFound(f"no job {job_id}", job_id=job_id)
    return Job.from_row(rows[0])


def list_jobs(database: Database, status: JobStatus | None = None, limit: int = 100) -> list[Job]:
    where, args = ("WHERE status = ?", [status]) if status else ("", [])
    sql = f"SELECT * FROM jobs {where} ORDER BY id DESC LIMIT ?"
    return [Job.from_row(row) for row in database.db().query(sql, [*args, limit])]


def claim(database: Database, job_id: int) -> Job | None:
    """Mark a queued job running for this worker; None when another worker (or a cancel) won."""
    with database.write() as db:
        cursor = db.execute(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, "
            "progress = 0, worker_id = NULL, lease_expires_at = NULL "
            "WHERE id = ? AND status = 'queued'",
            [now(), job_id],
        )
        claimed = cursor.rowcount == 1
    return get(database, job_id) if claimed else None


def set_progress(database: Database, job_id: int, progress: float) -> bool:
    """Record progress; return whether a cancel was asked meanwhile."""
    with database.write() as db:
        db.execute(
            "UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running'",
            [min(max(progress, 0.0), 1.0), job_id],
        )
        row = db.execute("SELECT cancel_requested FROM jobs WHERE id = ?", [job_id]).fetchone()
    return bool(row and row[0])


def finish(
    database: Database,
    job_id: int,
    status: JobStatus,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> None:
    assert status in FINISHED
    with database.write() as db:
        db.execute(
            "UPDATE jobs SET status = ?, finished_at = ?, result = ?, error = ?, "
            "progress = CASE WHEN ? = 'completed' THEN 1 ELSE progress END "
            "WHERE id = ? AND status = 'running'",
            [
                status,
                now(),
                json.dumps(result) if result is not None else None,
                json.dumps(error) if error is not None else None,
                status,
                job_id,
            ],
        )


def requeue(database: Database, job_id: int, error: dict[str, Any]) -> None:
    """Put a crashed job back in the queue (the caller decides whether attempts remain)."""
    with database.write() as db:
        db.execute(
            "UPDATE jobs SET status = 'queued', error = ?, worker_id = NULL, "
            "lease_expires_at = NULL WHERE id = ? AND status = 'running'",
            [json.dumps(error), job_id],
        )


def request_cancel(database: Database, job_id: int) -> Job:
    """Cancel a queued job at once; ask a running one to stop (its runner kills the process)."""
    with database.write() as db:
        row = db.execute("SELECT status FROM jobs WHERE id = ?", [job_id]).fetchone()
        if row is None:
            raise NotFound(f"no job {job_id}", job_id=job_id)
        if row[0] in FINISHED:
            raise Conflict(f"job {job_id} is already {row[0]}", job_id=job_id, status=row[0])
        db.execute(
            "UPDATE jobs SET status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END, "
            "finished_at = CASE status WHEN 'queued' THEN ? ELSE finished_at END, "
            "cancel_requested = 1 WHERE id = ?",
            [now(), job_id],
        )
    return get(database, job_id)


def recover(database: Database) -> list[int]:
    """After a crash or a kill: jobs this app was running go back to queued (those of worker
    machines keep their lease, `db/leases.py`); return the queued ids, oldest first."""
    with database.write() as db:
        db.execute(
            "UPDATE jobs SET status = 'queued' WHERE status = 'running' AND worker_id IS NULL"
        )
        rows = db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY id").fetchall()
    return [int(row[0]) for row in rows]


def set_queued_params(database: Database, job_id: int, params: JobParams) -> None:
    with database.write() as db:
        db.execute(
            "UPDATE jobs SET params = ? WHERE id = ? AND status = 'queued'",
            [params.to_json(), job_id],
        )


def queued_ids(database: Database) -> list[int]:
    rows = database.db().execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY id")
    return [int(row[0]) for row in rows.fetchall()]


def queue_depth(database: Database) -> dict[str, int]:
    rows = database.db().execute(
        "SELECT status, count(*) FROM jobs WHERE status IN ('queued', 'running') GROUP BY status"
    )
    counts = {"queued": 0, "running": 0}
    counts.update({str(status): int(count) for status, count in rows.fetchall()})
    return counts
