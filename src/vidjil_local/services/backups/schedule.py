"""The app's scheduler: APScheduler 3.x, started and stopped with the app (desktop launch, serve).

Jobs are kept in APScheduler's MemoryJobStore and registered again at every start from what our
own database and settings hold: the schedule is the `backup_schedule` setting (a crontab line,
changed on the Backups page without restart: `apply`), the history is `backup_runs`. APScheduler's
SQLAlchemyJobStore would add SQLAlchemy for one table and pickle callables across app versions
(stack-notes.md section 6).

At start the runs a killed process left `running` are marked interrupted (and the admins told),
and when a scheduled time passed while the app was stopped (a desktop switched off at night), a
catch-up backup runs a minute later. Stopping the app stops a running backup between two files;
what it wrote is cleaned up by the next one.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from vidjil_local.db import Database
from vidjil_local.services.backups import health, notify, runs
from vidjil_local.services.backups.runs import BackupRun, Trigger
from vidjil_local.services.backups.take import Cancelled, destination_of, take_backup
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
SCHEDULED = "backup"
CATCH_UP_DELAY = timedelta(minutes=1)


class BackupScheduler:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.stopping = threading.Event()
        self._scheduler = BackgroundScheduler(
            # a time missed while the computer slept runs at its wake-up, once
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )

    def start(self) -> None:
        self._scheduler.start()
        self.apply(self.settings)
        state = self.health().state
        if state in ("missed", "never"):
            at = datetime.now().astimezone() + CATCH_UP_DELAY
            self._scheduler.add_job(
                self._run, DateTrigger(at), args=[Trigger.CATCH_UP], id="catch-up"
            )
            log.info(
                "backup %s: a catch-up backup runs at %s", state, at.isoformat(timespec="seconds")
            )

    def stop(self) -> None:
        self.stopping.set()
        self._scheduler.shutdown(wait=True)

    def apply(self, settings: Settings) -> None:
        """Use changed settings: the scheduled job follows `backup_dir` and `backup_schedule`."""
        self.settings = settings
        if self._scheduler.get_job(SCHEDULED):
            self._scheduler.remove_job(SCHEDULED)
        if settings.backup_dir is not None and settings.backup_schedule.strip():
            trigger = CronTrigger.from_crontab(
                settings.backup_schedule, timezone=self._scheduler.timezone
            )
            self._scheduler.add_job(self._run, trigger, args=[Trigger.SCHEDULE], id=SCHEDULED)

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
            notify.backup_failed(self.settings, run)
        return health.check(self.settings, self.database, self.next_run_at())

    def run_now(self, user_id: int | None) -> BackupRun:
        """Start a backup in the scheduler's threads; the run's row, to follow on the page."""
        destination = destination_of(self.settings, None)
        run_id = runs.begin(
            self.database, trigger=Trigger.MANUAL, destination=str(destination), user_id=user_id
        )
        self._scheduler.add_job(self._finish, args=[run_id], id=f"run-{run_id}")
        return runs.get(self.database, run_id)

    def keep_upgrade_copy(self, copy: Path) -> None:
        """The database copy made before this start's schema upgrade (`db.upgrade_database`)
        becomes a backup in `backup_dir`, with the files as they are (an upgrade changes only the
        database): kept by the retention rules, not only until the next start as the copy."""
        if self.settings.backup_dir is not None:
            self._scheduler.add_job(
                self._run, args=[Trigger.BEFORE_UPGRADE, copy], id="before-upgrade"
            )

    def _run(self, trigger: Trigger, database_copy: Path | None = None) -> None:
        folder = self.settings.backup_dir
        if folder is None:
            return  # the folder setting was emptied meanwhile
        run_id = runs.begin(self.database, trigger=trigger, destination=str(folder), user_id=None)
        self._finish(run_id, database_copy)

    def _finish(self, run_id: int, database_copy: Path | None = None) -> None:
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
