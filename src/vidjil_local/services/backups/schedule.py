"""The app's scheduler: APScheduler 3.x, started and stopped with the app (desktop launch, serve).

The scheduled backup is a job of `DatabaseJobStore` (our database's `scheduler_jobs`), so its next
run time outlives the app: a scheduled time that passed while the app was stopped (a desktop
switched off at night) is run by APScheduler at the next start, once. The schedule itself is the
`backup_schedule` setting (a crontab line, changed on the Backups page without restart: `apply`),
the history is `backup_runs`. One-off runs ("Back up now", the copy made before an upgrade, the
catch-up when no job was stored yet) are in memory only: a killed app's run is found interrupted
at the next start rather than started again.

At start, and every WATCH_EVERY while the app runs, the runs a killed process left `running` are
marked interrupted, and a backup found missed (a scheduled time an hour past without a backup)
is announced once to the admins. Stopping the app stops a running backup between two files;
what it wrote is cleaned up by the next one.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from vidjil_local.db import Database
from vidjil_local.services import disk
from vidjil_local.services.backups import health, notify, runs
from vidjil_local.services.backups.job_store import DatabaseJobStore, trigger_data
from vidjil_local.services.backups.runs import BackupRun, Trigger
from vidjil_local.services.backups.take import (
    BackupRunning,
    Cancelled,
    begin_run,
    destination_of,
    release_run,
    take_backup,
)
from vidjil_local.settings import Settings
from vidjil_local.settings.crontab import crontab_trigger

log = logging.getLogger(__name__)
SCHEDULED = "backup"
MEMORY = "memory"  # the job store of one-off runs
CATCH_UP_DELAY = timedelta(minutes=1)
WATCH_EVERY = timedelta(minutes=10)
_RUNNING: dict[str, BackupScheduler] = {}  # data folder -> its app's scheduler


def scheduled_backup(data_dir: str) -> None:
    """The stored job's callable: a function named `module:function` (the job store keeps no
    objects), finding the scheduler of its data folder."""
    scheduler = _RUNNING.get(data_dir)
    if scheduler is None:
        log.warning("no scheduler runs for %s: the scheduled backup is skipped", data_dir)
        return
    scheduler.run_scheduled()


class BackupScheduler:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._waiting: set[int] = set()  # "Back up now" runs begun, not started yet
        self._missed_told: str | None = None  # the missed backup already announced
        self._disk = disk.DiskWatch()  # this watch also looks at the data disk
        self._store = DatabaseJobStore(database)
        self._scheduler = BackgroundScheduler(
            jobstores={"default": self._store, MEMORY: MemoryJobStore()},
            # a time missed while the app was stopped or the computer slept runs once, then
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._scheduler.add_listener(self._skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)

    def start(self) -> None:
        _RUNNING[str(self.settings.data_dir)] = self
        stored = self._store.lookup_job(SCHEDULED)
        stored_time: datetime | None = stored.next_run_time if stored is not None else None
        overdue = stored_time is not None and stored_time <= datetime.now().astimezone()
        self._scheduler.start()  # runs the stored job now when its time has passed
        self.apply(self.settings)
        state = self.health()
        scheduled = self.next_run_at() is not None  # an empty schedule: backups by hand only
        if scheduled and (state.state == "never" or (state.state == "missed" and not overdue)):
            at = datetime.now().astimezone() + CATCH_UP_DELAY
            self._one_off(self._run, [Trigger.CATCH_UP], "catch-up", DateTrigger(at))
            log.info("backup %s: a catch-up backup runs at %s", state.state, at.isoformat())
        if state.state == "missed":
            self._missed_told = state.message  # being made up: a failure will be told
        self._one_off(self.watch, [], "watch", IntervalTrigger(seconds=WATCH_EVERY.total_seconds()))

    def stop(self) -> None:
        self.stopping.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        with self._lock:
            never_started, self._waiting = sorted(self._waiting), set()
        runs.mark_interrupted(self.database, never_started, "the app stopped before it started")
        for run_id in never_started:
            release_run(self.settings, run_id)
        if _RUNNING.get(str(self.settings.data_dir)) is self:
            del _RUNNING[str(self.settings.data_dir)]

    def apply(self, settings: Settings) -> None:
        """Use changed settings: the scheduled job follows `backup_dir` and `backup_schedule`;
        an unchanged schedule keeps its stored next run time."""
        self.settings = settings
        job = self._scheduler.get_job(SCHEDULED)
        if settings.backup_dir is None or not settings.backup_schedule.strip():
            if job is not None:
                self._scheduler.remove_job(SCHEDULED)
            return
        trigger = crontab_trigger(settings.backup_schedule, timezone=self._scheduler.timezone)
        args = [str(settings.data_dir)]  # a restored database may name another folder
        if job is not None and (list(job.args), trigger_data(job.trigger)) == (
            args,
            trigger_data(trigger),
        ):
            return
        self._scheduler.add_job(
            f"{__name__}:scheduled_backup", trigger, args=args,
            id=SCHEDULED, name="scheduled backup", replace_existing=True,
        )  # fmt: skip

    def run_scheduled(self) -> None:
        self._run(Trigger.SCHEDULE)

    def watch(self) -> None:
        """Announce, once, a backup found missed while the app runs (the interrupted runs are
        announced by `health`), and a data disk that went nearly full."""
        self._disk.check(self.settings, self.database)
        state = self.health()
        if state.state == "missed" and state.message != self._missed_told:
            self._missed_told = state.message
            notify.backup_missed(self.settings, state.message, self.database)

    def planned(self) -> dict[str, datetime]:
        """The backups planned: job id ("backup", "catch-up", "run-<id>") -> when."""
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    def next_run_at(self) -> datetime | None:
        job = self._scheduler.get_job(SCHEDULED)
        moment: datetime | None = job.next_run_time if job else None
        return moment

    def health(self) -> health.BackupHealth:
        """The backups' state, once the runs a killed process left are found (and announced)."""
        for run in health.reconcile(self.database):
            notify.backup_failed(self.settings, run, self.database)
        return health.check(self.settings, self.database, self.next_run_at())

    def run_now(self, user_id: int | None) -> BackupRun:
        """Start a backup in the scheduler's threads; the run's row, to follow on the page.
        While a backup runs (scheduled, by hand or from the command line) none is started
        beside it: BackupRunning names the running one."""
        destination = destination_of(self.settings, None)
        run_id = begin_run(
            self.settings, self.database, trigger=Trigger.MANUAL, destination=destination,
            user_id=user_id,
        )  # fmt: skip
        with self._lock:
            self._waiting.add(run_id)
        self._one_off(self._finish, [run_id], f"run-{run_id}")
        return runs.get(self.database, run_id)

    def keep_upgrade_copy(self, copy: Path) -> None:
        """The database copy made before this start's schema upgrade (`db.upgrade_database`)
        becomes a backup in `backup_dir`, with the files as they are (an upgrade changes only the
        database): kept by the retention rules, not only until the next start as the copy."""
        if self.settings.backup_dir is not None:
            self._one_off(self._run, [Trigger.BEFORE_UPGRADE, copy], "before-upgrade")

    def _run(self, trigger: Trigger, database_copy: Path | None = None) -> None:
        folder = self.settings.backup_dir
        if folder is None:
            return  # the folder setting was emptied meanwhile
        try:
            run_id = begin_run(
                self.settings, self.database, trigger=trigger,
                destination=destination_of(self.settings, None), user_id=None,
            )  # fmt: skip
        except BackupRunning as running:  # it backs up the data now: this one is not needed
            how = runs.TRIGGER_WORDS.get(trigger, trigger)
            log.warning("a backup (%s) is skipped: %s", how, running.message)
            return
        self._finish(run_id, database_copy)

    def _finish(self, run_id: int, database_copy: Path | None = None) -> None:
        with self._lock:
            self._waiting.discard(run_id)
        try:
            run = take_backup(
                self.settings, self.database, trigger=Trigger.MANUAL, run_id=run_id,
                cancelled=self.stopping, database_copy=database_copy,
            )  # fmt: skip
        except Cancelled:
            log.warning("backup %d stopped: the app is stopping", run_id)
        except Exception:
            log.debug("backup %d failed", run_id, exc_info=True)  # recorded and announced
        else:
            log.info(
                "backup %d: %s in %s (%d files, %d new bytes)", run_id, run.snapshot,
                run.destination, run.files or 0, run.new_bytes or 0,
            )  # fmt: skip

    def _one_off(self, function: Any, args: list[object], job_id: str, trigger: Any = None) -> None:
        self._scheduler.add_job(
            function, trigger, args=args, id=job_id, jobstore=MEMORY, replace_existing=True
        )

    def _skipped(self, event: Any) -> None:
        """APScheduler skipped a scheduled run (the previous backup still runs)."""
        if event.job_id == SCHEDULED:
            notify.backup_missed(
                self.settings,
                "a scheduled backup was skipped: the previous one still runs",
                self.database,
            )
