"""The app's health: version, core, workers, queue depth, database, and what keeps the lab from
working (`problems`: a monitoring tool and the Server status page read them)."""

from __future__ import annotations

import shutil
import time
from typing import Protocol

import msgspec

from vidjil_local import __version__
from vidjil_local.core import is_compiled
from vidjil_local.db import Database, jobs, schema_version
from vidjil_local.services import disk
from vidjil_local.settings import Settings


class QueueState(Protocol):
    @property
    def answering(self) -> bool: ...

    @property
    def message(self) -> str: ...


class Runtime(Protocol):
    @property
    def broker_kind(self) -> str: ...

    def queue_state(self) -> QueueState: ...


class Health(msgspec.Struct):
    status: str  # "ok", or "degraded" when there are problems
    version: str
    core: str  # "compiled" or "interpreted"
    database: str  # "ok" or the problem
    schema_version: int
    workers: int
    broker: str  # "stub", "redis" or "stopped"
    queue: dict[str, int]
    disk_free_percent: float
    uptime_seconds: float
    problems: list[str]  # what keeps the lab from working, for an administrator to fix


def check(
    settings: Settings, database: Database, runtime: Runtime | None, started_at: float
) -> Health:
    database_status, version, queue = "ok", 0, {"queued": 0, "running": 0}
    try:  # read again after any commit (the memo's own query shows the database answers)
        version, queue = database.remember(("health",), lambda: _state(database))
    except Exception as error:  # report, don't fail: health must answer when things are wrong
        database_status = f"error: {error}"
    usage = shutil.disk_usage(settings.data_dir)
    problems = (
        [] if database_status == "ok" else [f"the database does not answer ({database_status})"]
    )
    problems += _disk_problems(settings)
    queue_state = runtime.queue_state() if runtime else None
    if queue_state is not None and not queue_state.answering:  # Redis down: no job starts
        problems.append(queue_state.message)
    return Health(
        status="degraded" if problems else "ok",
        version=__version__,
        core="compiled" if is_compiled() else "interpreted",
        database=database_status,
        schema_version=version,
        workers=settings.worker_count,
        broker=runtime.broker_kind if runtime else "stopped",
        queue=queue,
        disk_free_percent=round(100 * usage.free / usage.total, 2),
        uptime_seconds=round(time.time() - started_at, 1),
        problems=problems,
    )


def _disk_problems(settings: Settings) -> list[str]:
    """The data disk under min_free_disk_percent: every upload and launch is refused, while the
    health said "ok" and the status page showed only the numbers."""
    try:
        disk.check_free_space(settings)
    except disk.DiskFull as full:
        return [f"uploads and analyses are refused: {full.message}"]
    except OSError as error:
        return [f"the data disk cannot be checked: {error}"]
    return []


def _state(database: Database) -> tuple[int, dict[str, int]]:
    return schema_version(database.db()), jobs.queue_depth(database)
