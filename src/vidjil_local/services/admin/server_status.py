"""The admin's server status page: health, disk, database size, what the lab holds, the jobs.

It replaces Vidjil's admin index (uptime, `df -h`, workers, queued/running counts, the last
results), with numbers rather than command outputs.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime

import msgspec
import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.jobs import STATES
from vidjil_local.services.admin import health
from vidjil_local.settings import Settings

LAST_JOBS = 10
COUNTS = {
    "users": "SELECT count(*) FROM users",
    "groups": "SELECT count(*) FROM groups",
    "sample_sets": "SELECT count(*) FROM sample_sets",
    "samples": "SELECT count(*) FROM samples WHERE status != 'deleted'",
    "configs": "SELECT count(*) FROM configs",
    "results": "SELECT count(*) FROM results",
}


class JobLine(msgspec.Struct):
    id: int
    kind: str
    status: str
    progress: float
    user_id: int | None
    sample_set_id: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class ServerStatus(msgspec.Struct):
    health: health.Health
    started_at: str
    uptime_seconds: float
    data_dir: str
    disk_total_bytes: int
    disk_free_bytes: int
    database_bytes: int  # the database file with its write-ahead log
    counts: dict[str, int]
    locked_users: int
    jobs_by_status: dict[str, int]
    last_jobs: list[JobLine]
    workers: int
    broker: str


def status(
    settings: Settings, database: Database, runtime: health.Runtime | None, started_at: float
) -> ServerStatus:
    checked = health.check(settings, database, runtime, started_at)
    usage = shutil.disk_usage(settings.data_dir)
    db = database.db()
    return ServerStatus(
        health=checked,
        started_at=datetime.fromtimestamp(started_at, UTC).isoformat(timespec="seconds"),
        uptime_seconds=round(time.time() - started_at, 1),
        data_dir=str(settings.data_dir),
        disk_total_bytes=usage.total,
        disk_free_bytes=usage.free,
        database_bytes=_database_bytes(settings),
        counts={name: _count(db, sql) for name, sql in COUNTS.items()},
        locked_users=_count(db, "SELECT count(*) FROM users WHERE locked_at IS NOT NULL"),
        jobs_by_status=_jobs_by_status(db),
        last_jobs=_last_jobs(db),
        workers=checked.workers,
        broker=checked.broker,
    )


def _database_bytes(settings: Settings) -> int:
    path = settings.database_path
    files = (path, path.with_name(path.name + "-wal"))
    return sum(file.stat().st_size for file in files if file.exists())


def _count(db: sqlite_utils.Database, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


def _jobs_by_status(db: sqlite_utils.Database) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(STATES, 0)
    for state, count in db.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall():
        counts[str(state)] = int(count)
    return counts


def _last_jobs(db: sqlite_utils.Database) -> list[JobLine]:
    rows = db.query(
        "SELECT id, kind, status, progress, user_id, sample_set_id, created_at, started_at, "
        "finished_at FROM jobs ORDER BY id DESC LIMIT ?",
        [LAST_JOBS],
    )
    return [JobLine(**row) for row in rows]
