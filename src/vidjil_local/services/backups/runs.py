"""The history of backup runs (`backup_runs`): one row per run, kept whatever happened to it.

A run is `running` until it ends `completed`, `failed` (the error is kept, and the admins told) or
`interrupted` (the app stopped during it, or its process was killed: `reconcile` finds those at
start and whenever the history is read).
"""

from __future__ import annotations

import json
import threading
import uuid
from enum import StrEnum
from typing import Any

import msgspec

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import NotFound

RECENT = 20


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class Trigger(StrEnum):
    SCHEDULE = "schedule"
    CATCH_UP = "catch_up"  # a scheduled time passed while the app was stopped
    MANUAL = "manual"  # "Back up now" on the Backups page
    COMMAND = "command"  # `vidjil-local backup`
    BEFORE_RESTORE = "before_restore"
    BEFORE_UPGRADE = "before_upgrade"  # the database as it was before a schema upgrade


TRIGGER_WORDS: dict[str, str] = {
    Trigger.SCHEDULE: "scheduled",
    Trigger.CATCH_UP: "made up after a stop",
    Trigger.MANUAL: "by hand",
    Trigger.COMMAND: "from the command line",
    Trigger.BEFORE_RESTORE: "before a restore",
    Trigger.BEFORE_UPGRADE: "before an upgrade",
}


class Progress(msgspec.Struct):
    """How far a run of this process has gone (kept in memory while it runs)."""

    phase: str  # waiting, database, files, checking, retention
    files_done: int
    files_total: int
    bytes_done: int


class BackupRun(msgspec.Struct):
    id: int
    trigger: str
    destination: str
    snapshot: str | None
    status: str
    started_at: str
    finished_at: str | None
    user_id: int | None
    files: int | None
    bytes: int | None
    new_bytes: int | None
    seconds: float | None
    deleted: list[str]  # the snapshots the retention rules removed after this one
    warnings: list[str]
    error: str | None
    progress: Progress | None = None  # while a run of this process runs

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BackupRun:
        progress = RUNNING_HERE.progress(row["id"]) if row["status"] == RunStatus.RUNNING else None
        return cls(
            **{
                **row,
                "deleted": json.loads(row["deleted"]),
                "warnings": json.loads(row["warnings"]),
                "progress": progress,
            }
        )


class RunningHere:
    """The runs this process is making now, with their progress (any other `running` row is
    another process's, or was interrupted)."""

    def __init__(self) -> None:
        self._runs: dict[int, Progress] = {}
        self._lock = threading.Lock()

    def add(self, run_id: int) -> None:
        with self._lock:
            self._runs[run_id] = Progress("waiting", 0, 0, 0)

    def discard(self, run_id: int) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def advance(self, run_id: int, phase: str, files_total: int | None = None) -> None:
        """The run enters `phase` (with `files_total`: the files are listed, none done yet)."""
        with self._lock:
            progress = self._runs.get(run_id)
            if progress is not None:
                progress.phase = phase
                if files_total is not None:
                    progress.files_total = files_total
                    progress.files_done = progress.bytes_done = 0

    def count(self, run_id: int, size: int) -> None:
        """One more file of `size` bytes stored."""
        with self._lock:
            progress = self._runs.get(run_id)
            if progress is not None:
                progress.files_done += 1
                progress.bytes_done += size

    def progress(self, run_id: int) -> Progress | None:
        with self._lock:
            progress = self._runs.get(run_id)
            return msgspec.structs.replace(progress) if progress is not None else None

    def __contains__(self, run_id: object) -> bool:
        with self._lock:
            return run_id in self._runs


RUNNING_HERE = RunningHere()


def install_id(database: Database) -> str:
    row = database.db().execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()
    if row:
        return str(row[0])
    with database.write() as db:  # a database from before m006 that was restored
        db.execute("INSERT OR IGNORE INTO meta VALUES ('install_id', ?)", [uuid.uuid4().hex])
    return install_id(database)


def begin(database: Database, *, trigger: Trigger, destination: str, user_id: int | None) -> int:
    with database.write() as db:
        row = {
            "trigger": trigger,
            "destination": destination,
            "started_at": now(),
            "user_id": user_id,
        }
        return int(db.table("backup_runs").insert(row).last_pk or 0)


def set_snapshot(database: Database, run_id: int, snapshot: str) -> None:
    with database.write() as db:
        db.execute("UPDATE backup_runs SET snapshot = ? WHERE id = ?", [snapshot, run_id])


def complete(database: Database, run_id: int, **outcome: Any) -> None:
    values = {
        **outcome,
        "deleted": json.dumps(outcome.get("deleted", [])),
        "warnings": json.dumps(outcome.get("warnings", [])),
    }
    with database.write() as db:
        db.table("backup_runs").update(
            run_id, {**values, "status": RunStatus.COMPLETED, "finished_at": now()}
        )


def end_badly(database: Database, run_id: int, status: RunStatus, error: str) -> None:
    with database.write() as db:
        db.table("backup_runs").update(
            run_id, {"status": status, "error": error, "finished_at": now()}
        )


def get(database: Database, run_id: int) -> BackupRun:
    rows = list(database.db().query("SELECT * FROM backup_runs WHERE id = ?", [run_id]))
    if not rows:
        raise NotFound(f"no backup run {run_id}", run_id=run_id)
    return BackupRun.from_row(rows[0])


def recent(database: Database, limit: int = RECENT) -> list[BackupRun]:
    rows = database.db().query("SELECT * FROM backup_runs ORDER BY id DESC LIMIT ?", [limit])
    return [BackupRun.from_row(row) for row in rows]


def last(database: Database, status: RunStatus | None = None) -> BackupRun | None:
    where, values = ("WHERE status = ?", [status]) if status else ("", [])
    rows = list(
        database.db().query(f"SELECT * FROM backup_runs {where} ORDER BY id DESC LIMIT 1", values)
    )
    return BackupRun.from_row(rows[0]) if rows else None


def mark_interrupted(database: Database, run_ids: list[int], why: str) -> None:
    with database.write() as db:
        for run_id in run_ids:
            db.execute(
                "UPDATE backup_runs SET status = ?, error = ?, finished_at = ? "
                "WHERE id = ? AND status = ?",
                [RunStatus.INTERRUPTED, why, now(), run_id, RunStatus.RUNNING],
            )


def running_elsewhere(database: Database) -> list[BackupRun]:
    rows = database.db().query(
        "SELECT * FROM backup_runs WHERE status = ? ORDER BY id", [RunStatus.RUNNING]
    )
    return [run for run in map(BackupRun.from_row, rows) if run.id not in RUNNING_HERE]
