"""APScheduler's job store in our database: the table `scheduler_jobs` (migration m007).

The scheduled backup's job, with its next run time, outlives the app: a time that passed while
the app was stopped is found by APScheduler at the next start and run then (coalesced, once).
Jobs are kept as JSON, not pickles as APScheduler's own stores do: a database restored from a
backup folder on a share must not be able to run code when the app loads it, and JSON reads the
same after an app upgrade. So only what JSON says plainly is stored: a callable by its
`module:function` name, JSON arguments, and cron or date triggers without jitter or bounds; any
other job is refused when added. A row that no longer reads (a function renamed by an upgrade) is
logged and dropped, as APScheduler's stores do: the app registers its jobs again at start.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore, ConflictingIdError, JobLookupError
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.util import ref_to_obj

from vidjil_local.db import Database

log = logging.getLogger(__name__)
TABLE = "scheduler_jobs"


class DatabaseJobStore(BaseJobStore):  # type: ignore[misc]  # APScheduler has no types
    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database

    def lookup_job(self, job_id: str) -> Job | None:
        jobs = self._jobs("WHERE id = ?", [job_id])
        return jobs[0] if jobs else None

    def get_due_jobs(self, now: datetime) -> list[Job]:
        return self._jobs("WHERE next_run_time <= ?", [now.timestamp()])

    def get_next_run_time(self) -> datetime | None:
        row = (
            self.database.db()
            .execute(f"SELECT min(next_run_time) FROM {TABLE} WHERE next_run_time IS NOT NULL")
            .fetchone()
        )
        return None if row[0] is None else datetime.fromtimestamp(row[0], UTC)

    def get_all_jobs(self) -> list[Job]:
        jobs = self._jobs()
        self._fix_paused_jobs_sorting(jobs)
        return jobs

    def add_job(self, job: Job) -> None:
        row = _row(job)
        with self.database.write() as db:
            if db.table(TABLE).count_where("id = ?", [job.id]):
                raise ConflictingIdError(job.id)
            db.table(TABLE).insert(row)

    def update_job(self, job: Job) -> None:
        row = _row(job)
        with self.database.write() as db:
            cursor = db.execute(
                f"UPDATE {TABLE} SET next_run_time = ?, job_state = ? WHERE id = ?",
                [row["next_run_time"], row["job_state"], job.id],
            )
            if cursor.rowcount == 0:
                raise JobLookupError(job.id)

    def remove_job(self, job_id: str) -> None:
        with self.database.write() as db:
            if db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [job_id]).rowcount == 0:
                raise JobLookupError(job_id)

    def remove_all_jobs(self) -> None:
        with self.database.write() as db:
            db.execute(f"DELETE FROM {TABLE}")

    def _jobs(self, where: str = "", parameters: list[object] | None = None) -> list[Job]:
        rows = (
            self.database.db()
            .execute(
                f"SELECT id, job_state FROM {TABLE} {where} ORDER BY next_run_time",
                parameters or [],
            )
            .fetchall()
        )
        jobs, unreadable = [], []
        for job_id, state in rows:
            try:
                jobs.append(self._job(json.loads(state)))
            except Exception:
                log.exception("the scheduled job %r no longer reads: removed", job_id)
                unreadable.append(job_id)
        if unreadable:
            with self.database.write() as db:
                db.execute(f"DELETE FROM {TABLE} WHERE id IN ({_marks(unreadable)})", unreadable)
        return jobs

    def _job(self, state: dict[str, Any]) -> Job:
        next_run = state["next_run_time"]
        job = Job.__new__(Job)
        job.__setstate__(
            {
                **state,
                "version": 1,
                "trigger": trigger_of(state["trigger"]),
                "args": tuple(state["args"]),
                "next_run_time": datetime.fromisoformat(next_run) if next_run else None,
            }
        )
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job


def _row(job: Job) -> dict[str, object]:
    """The table row of a job; ValueError for what JSON cannot say plainly."""
    state = job.__getstate__()  # ValueError when the callable has no module:function name
    try:
        named = ref_to_obj(state["func"])
    except LookupError:
        named = None
    if named is not job.func:  # a bound method or a builtin's method: a reference that lies
        raise ValueError(f"job {job.id}: only a module-level function can be stored")
    stored = {
        key: state[key]
        for key in ("id", "func", "executor", "kwargs", "name", "misfire_grace_time",
                    "coalesce", "max_instances")
    }  # fmt: skip
    stored["args"] = list(state["args"])
    stored["trigger"] = trigger_data(job.trigger)
    next_run: datetime | None = job.next_run_time
    stored["next_run_time"] = next_run.isoformat() if next_run else None
    try:
        text = json.dumps(stored)
    except TypeError as error:
        raise ValueError(f"job {job.id}: its arguments are not JSON: {error}") from error
    return {
        "id": job.id,
        "next_run_time": next_run.timestamp() if next_run else None,
        "job_state": text,
    }


def trigger_data(trigger: object) -> dict[str, Any]:
    if isinstance(trigger, CronTrigger):
        if trigger.start_date or trigger.end_date or trigger.jitter:
            raise ValueError("a cron trigger with bounds or jitter cannot be stored")
        fields = {field.name: str(field) for field in trigger.fields}
        return {"cron": fields, "timezone": zone_data(trigger.timezone)}
    if isinstance(trigger, DateTrigger):
        return {"date": trigger.run_date.isoformat()}
    raise ValueError(f"a {type(trigger).__name__} cannot be stored (cron and date only)")


def trigger_of(data: dict[str, Any]) -> CronTrigger | DateTrigger:
    if "cron" in data:
        return CronTrigger(**data["cron"], timezone=zone_of(data["timezone"]))
    return DateTrigger(datetime.fromisoformat(data["date"]))


def zone_data(zone: tzinfo) -> dict[str, Any]:
    if isinstance(zone, ZoneInfo):
        return {"name": zone.key}
    offset = zone.utcoffset(None)
    if offset is None:
        raise ValueError(f"the time zone {zone} has neither a name nor a fixed offset")
    return {"offset_seconds": offset.total_seconds()}


def zone_of(data: dict[str, Any]) -> tzinfo:
    if "name" in data:
        return ZoneInfo(data["name"])
    return timezone(timedelta(seconds=data["offset_seconds"]))


def _marks(values: list[object]) -> str:
    return ", ".join("?" for _ in values)
