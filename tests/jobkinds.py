"""Job kinds used only by the tests of the job system (their work runs in spawned children)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidjil_local.db import Database, jobs
from vidjil_local.db.jobs import Job, JobParams, Reporter
from vidjil_local.jobs.kinds import JobKind


class MarkerParams(JobParams):
    marker: Path


class NoParams(JobParams):
    pass


class SleepParams(JobParams):
    seconds: float


def crash_once(params: MarkerParams, progress: Callable[[float], None]) -> dict[str, Any]:
    """Kill its own process the first time (a marker file remembers), succeed the second time."""
    if not params.marker.exists():
        params.marker.write_text("crashed once")
        os._exit(9)
    return {"attempt": 2}


def always_raise(params: NoParams, progress: Callable[[float], None]) -> dict[str, Any]:
    raise RuntimeError("a bug in the job")


def write_to_a_full_disk(params: NoParams, progress: Callable[[float], None]) -> dict[str, Any]:
    """Write its result where every write meets ENOSPC (Linux's /dev/full), as on a full disk."""
    with open("/dev/full", "wb", buffering=0) as output:
        output.write(b"results")
    return {}


def sleep(params: SleepParams, progress: Callable[[float], None]) -> dict[str, Any]:
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < params.seconds:
        progress(elapsed / params.seconds)
        time.sleep(0.05)
    return {"slept": params.seconds, "pid": os.getpid()}


class WatchParams(JobParams):
    seconds: float
    started: Path  # written once the job runs, so a test can start another one meanwhile
    finished: Path | None = None  # written when its work is done
    until: Path | None = None  # then keep watching until this file exists
    back_to: int | None = None  # and until the share is back to this many cores
    at_most: float = 30  # seconds of watching in all, whatever else happens


def watch_cores(params: WatchParams, progress: Reporter) -> dict[str, Any]:
    """Note the job's share of cores as it changes while it runs."""
    seen = [progress.cores()]
    params.started.write_text("running")
    started = time.monotonic()

    def watching() -> bool:
        if time.monotonic() - started < params.seconds:
            return True
        if params.until is not None and not params.until.exists():
            return True
        return params.back_to is not None and seen[-1] != params.back_to

    while watching() and time.monotonic() - started < params.at_most:
        if progress.cores() != seen[-1]:
            seen.append(progress.cores())
        time.sleep(0.02)
    if params.finished is not None:
        params.finished.write_text("done")
    return {"cores": seen}


def remember_result(
    database: Database, job: Job, params: SleepParams, result: dict[str, Any]
) -> list[int]:
    """A record hook: stores the child's result in the app process's database."""
    with database.write() as db:
        db.table("meta").insert({"key": f"job-{job.id}", "value": str(result["slept"])})
    return []


def refuse_result(
    database: Database, job: Job, params: SleepParams, result: dict[str, Any]
) -> list[int]:
    raise ValueError("the result cannot be stored")


def queue_follow_up(
    database: Database, job: Job, params: SleepParams, result: dict[str, Any]
) -> list[int]:
    """A record hook that queues another job, as a finished analysis queues its fuse."""
    with database.write() as db:
        return [jobs.insert(db, "sleep", SleepParams(seconds=0.1), user_id=job.user_id)]


def report_priority(params: NoParams, progress: Callable[[float], None]) -> dict[str, Any]:
    """The child's own niceness, and that of a process it starts (a parallel job's pool)."""
    import multiprocessing
    import os

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool_niceness = pool.apply(os.nice, (0,))
    return {"niceness": os.nice(0), "pool_niceness": pool_niceness}


TEST_KINDS: dict[str, JobKind[Any]] = {
    "crash_once": JobKind(MarkerParams, crash_once),
    "always_raise": JobKind(NoParams, always_raise),
    "disk_full": JobKind(NoParams, write_to_a_full_disk),
    "sleep": JobKind(SleepParams, sleep),
    "kept": JobKind(SleepParams, sleep, remember_result),
    "refused": JobKind(SleepParams, sleep, refuse_result),
    "chained": JobKind(SleepParams, sleep, queue_follow_up),
    "watch_cores": JobKind(WatchParams, watch_cores, parallel=True),
    "report_priority": JobKind(NoParams, report_priority),
}
