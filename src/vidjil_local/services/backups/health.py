"""Is the data backed up? The state the Backups and status pages show, from the run history and
the schedule: a failed, interrupted or missed backup is said, with when and why."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path

import msgspec

from vidjil_local.db import Database
from vidjil_local.services.backups import runs
from vidjil_local.services.backups.runs import BackupRun, RunStatus
from vidjil_local.services.backups.store import BackupStore
from vidjil_local.settings import Settings
from vidjil_local.settings.crontab import crontab_trigger

MISSED_AFTER = timedelta(hours=1)  # a scheduled time with no backup an hour later was missed
STALE_RUNNING = timedelta(days=1)  # a run still "running" after a day, its folder unreachable
INTERRUPTED = "the backup stopped before it finished (the app or the computer stopped)"
ALERTS = ("failed", "interrupted", "missed", "never")


class BackupHealth(msgspec.Struct):
    state: str  # not_configured, never, ok, running, failed, interrupted or missed
    alert: bool  # the admins should act (shown on the status page)
    message: str
    destination: str | None
    schedule: str
    last_success_at: str | None
    next_run_at: str | None
    last_run: BackupRun | None


def reconcile(database: Database) -> list[BackupRun]:
    """Mark `interrupted` the runs left `running` by a process that is gone (its backup folder's
    lock is free, or it cannot be reached a day later); return them."""
    found = []
    for run in runs.running_elsewhere(database):
        busy = BackupStore(Path(run.destination)).busy()
        started = datetime.fromisoformat(run.started_at)
        if busy is False or (
            busy is None and datetime.now(started.tzinfo) - started > STALE_RUNNING
        ):
            found.append(run.id)
    runs.mark_interrupted(database, found, INTERRUPTED)
    return [runs.get(database, run_id) for run_id in found]


def due_after(schedule: str, moment: datetime) -> datetime | None:
    """The first scheduled time after `moment` (local time), or None without a schedule."""
    if not schedule.strip():
        return None
    trigger = crontab_trigger(schedule, timezone=_local_zone())
    fire: datetime | None = trigger.get_next_fire_time(None, moment.astimezone(_local_zone()))
    return fire


def _local_zone() -> tzinfo | None:
    return datetime.now().astimezone().tzinfo


def check(settings: Settings, database: Database, next_run_at: datetime | None) -> BackupHealth:
    last = runs.last(database)
    success = runs.last(database, RunStatus.COMPLETED)
    state, message = _state(settings, last, success)
    return BackupHealth(
        state=state, alert=state in ALERTS, message=message,
        destination=str(settings.backup_dir) if settings.backup_dir else None,
        schedule=settings.backup_schedule,
        last_success_at=success.finished_at if success else None,
        next_run_at=next_run_at.isoformat(timespec="seconds") if next_run_at else None,
        last_run=last,
    )  # fmt: skip


def _local(moment: str | datetime) -> str:
    """A stored UTC time as this computer's local time, to the minute."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def format_size(count: int | None) -> str:
    """1234567 -> '1.2 MB' (decimal units, as the pages show sizes)."""
    value = float(count or 0)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return ""


def _state(
    settings: Settings, last: BackupRun | None, success: BackupRun | None
) -> tuple[str, str]:
    if settings.backup_dir is None:
        return "not_configured", "No backup folder is set: nothing is backed up on a schedule."
    if last is not None and last.status == RunStatus.RUNNING:
        how = runs.TRIGGER_WORDS.get(last.trigger, last.trigger)
        return "running", f"A backup is running (started {_local(last.started_at)}, {how})."
    if last is not None and last.status in (RunStatus.FAILED, RunStatus.INTERRUPTED):
        when = _local(last.started_at)
        return str(last.status), f"The last backup ({when}) {last.status}: {last.error}"
    if success is None or success.finished_at is None:
        return "never", "No backup has been made yet."
    done = datetime.fromisoformat(success.finished_at)
    due = due_after(settings.backup_schedule, done)
    if due is not None and datetime.now(due.tzinfo) > due + MISSED_AFTER:
        return "missed", f"The backup due at {_local(due)} was not made."
    files = f"{success.files} file{'' if success.files == 1 else 's'}"
    return "ok", f"Last backup {_local(done)}: {files}, {format_size(success.bytes)}, checked."
