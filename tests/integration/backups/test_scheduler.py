"""The app's backup scheduler on a real data folder: APScheduler's jobs kept in our database
(`scheduler_jobs`), a time missed while the app was stopped run once at the next start, the
schedule's weekdays read as crontab reads them, and a missed backup told to the admins."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tests.conftest import Inbox
from tests.integration.backups.conftest import LabFolder
from tests.waiting import wait_until
from vidjil_local.services.backups import BackupScheduler, Trigger, runs
from vidjil_local.services.backups.job_store import DatabaseJobStore
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import Settings

NIGHTLY = "0 3 * * *"
CALLS: list[str] = []
CALLED = threading.Event()


def record_call(word: str) -> None:
    CALLS.append(word)
    CALLED.set()


@pytest.fixture
def nightly(lab_folder: LabFolder) -> Settings:
    return lab_folder.settings.with_values(backup_schedule=NIGHTLY)


@pytest.fixture
def scheduler(lab_folder: LabFolder, nightly: Settings) -> Iterator[BackupScheduler]:
    started = BackupScheduler(nightly, lab_folder.database)
    yield started
    started.stop()


def stored_jobs(lab_folder: LabFolder) -> list[dict[str, object]]:
    return lab_folder.rows("scheduler_jobs")


def move_stored_run(lab_folder: LabFolder, to: datetime) -> None:
    """As if the app had been stopped since before `to`: the stored job's next run time."""
    [row] = stored_jobs(lab_folder)
    state = json.loads(str(row["job_state"]))
    state["next_run_time"] = to.isoformat()
    with lab_folder.database.write() as db:
        db.execute(
            "UPDATE scheduler_jobs SET next_run_time = ?, job_state = ? WHERE id = ?",
            [to.timestamp(), json.dumps(state), row["id"]],
        )


def test_the_scheduled_job_is_kept_in_the_database(
    lab_folder: LabFolder, nightly: Settings
) -> None:
    first = BackupScheduler(nightly, lab_folder.database)
    first.start()
    planned = first.next_run_at()
    first.stop()
    [row] = stored_jobs(lab_folder)
    state = json.loads(str(row["job_state"]))
    assert state["func"] == "vidjil_local.services.backups.schedule:scheduled_backup"
    assert state["args"] == [str(nightly.data_dir)]
    assert planned is not None and row["next_run_time"] == planned.timestamp()
    assert state["trigger"]["cron"]["hour"] == "3"
    second = BackupScheduler(nightly, lab_folder.database)
    second.start()
    try:
        assert second.next_run_at() == planned
    finally:
        second.stop()


def test_a_time_missed_while_stopped_runs_once_at_the_start(
    lab_folder: LabFolder, nightly: Settings
) -> None:
    take_backup(nightly, lab_folder.database, trigger=Trigger.COMMAND)  # state: ok
    first = BackupScheduler(nightly, lab_folder.database)
    first.start()
    first.stop()
    move_stored_run(lab_folder, datetime.now(UTC) - timedelta(days=3))  # three nights missed
    again = BackupScheduler(nightly, lab_folder.database)
    again.start()
    try:
        made_up = wait_until(
            lambda: [run for run in runs.recent(lab_folder.database) if run.trigger == "schedule"],
            timeout=60, what="the missed backup did not run at the start",
        )  # fmt: skip
        assert "catch-up" not in again.planned(), "APScheduler makes it up, not a second run"
        ended = wait_until(
            lambda: runs.get(lab_folder.database, made_up[0].id).status != "running" or None,
            timeout=60, what="the made-up backup did not end",
        )  # fmt: skip
        assert ended and runs.get(lab_folder.database, made_up[0].id).status == "completed"
        assert len(made_up) == 1, "coalesced: once for three missed nights"
        next_run = again.next_run_at()
        assert next_run is not None and next_run > datetime.now(UTC)
    finally:
        again.stop()


def test_an_unchanged_schedule_keeps_its_time_and_a_changed_one_replaces_it(
    lab_folder: LabFolder, scheduler: BackupScheduler, nightly: Settings
) -> None:
    scheduler.start()
    planned = scheduler.next_run_at()
    scheduler.apply(nightly)
    assert scheduler.next_run_at() == planned
    scheduler.apply(nightly.with_values(backup_schedule="30 2 * * 0"))
    sunday = scheduler.next_run_at()
    assert sunday is not None and sunday.astimezone().strftime("%a %H:%M") == "Sun 02:30"
    [row] = stored_jobs(lab_folder)
    assert json.loads(str(row["job_state"]))["trigger"]["cron"]["day_of_week"] == "sun"
    scheduler.apply(nightly.with_values(backup_schedule=""))
    assert scheduler.next_run_at() is None and stored_jobs(lab_folder) == []


def test_a_database_restored_into_another_folder_gets_its_own_job(
    lab_folder: LabFolder, nightly: Settings, tmp_path: Path
) -> None:
    first = BackupScheduler(nightly, lab_folder.database)
    first.start()
    first.stop()
    elsewhere = nightly.with_values(data_dir=tmp_path / "restored")
    moved = BackupScheduler(elsewhere, lab_folder.database)
    moved.start()
    moved.stop()
    [row] = stored_jobs(lab_folder)
    assert json.loads(str(row["job_state"]))["args"] == [str(tmp_path / "restored")]


def test_only_what_json_says_plainly_is_stored(lab_folder: LabFolder) -> None:
    scheduler = BackgroundScheduler(jobstores={"default": DatabaseJobStore(lab_folder.database)})
    scheduler.start()
    try:
        for job, why in (
            ({"func": lambda: None, "trigger": "date"}, "reference to its callable"),
            ({"func": CALLS.append, "trigger": "date", "args": ["x"]}, "module-level function"),
            ({"func": CALLED.set, "trigger": "date"}, "module-level function"),
            ({"func": record_call, "trigger": "date", "args": [object()]}, "not JSON"),
            ({"func": record_call, "trigger": IntervalTrigger(hours=1), "args": ["x"]},
             "cron and date only"),
        ):  # fmt: skip
            with pytest.raises(ValueError, match=why):
                scheduler.add_job(**job)
        assert stored_jobs(lab_folder) == []
        CALLED.clear()
        scheduler.add_job(record_call, "date", args=["stored"], id="plain")
        wait_until(CALLED.is_set, timeout=15, what="the stored date job did not run")
        assert CALLS[-1] == "stored" and stored_jobs(lab_folder) == []  # done, so removed
    finally:
        scheduler.shutdown()


def test_a_job_that_no_longer_reads_is_dropped_and_logged(
    lab_folder: LabFolder, caplog: pytest.LogCaptureFixture
) -> None:
    state: dict[str, object] = {
        "id": "gone", "func": "vidjil_local.nowhere:gone", "trigger": {"date": "2026-01-01"},
        "args": [], "kwargs": {}, "executor": "default", "name": "gone",
        "misfire_grace_time": None, "coalesce": True, "max_instances": 1, "next_run_time": None,
    }  # fmt: skip
    with lab_folder.database.write() as db:
        db.table("scheduler_jobs").insert(
            {"id": "gone", "next_run_time": None, "job_state": json.dumps(state)}
        )
    store = DatabaseJobStore(lab_folder.database)
    with caplog.at_level(logging.ERROR):
        assert store.get_all_jobs() == []
    assert "'gone' no longer reads" in caplog.text and stored_jobs(lab_folder) == []


def test_a_missed_backup_is_mailed_to_the_admins_once(
    lab_folder: LabFolder, nightly: Settings, inbox: tuple[Inbox, int]
) -> None:
    messages, port = inbox
    take_backup(nightly, lab_folder.database, trigger=Trigger.COMMAND)
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="milliseconds")
    with lab_folder.database.write() as db:
        db.execute("UPDATE backup_runs SET finished_at = ?", [two_days_ago])
    mailing = nightly.with_values(
        smtp_server=f"127.0.0.1:{port}", smtp_from_email="vidjil@lab.example", smtp_tls=False,
        smtp_admin_emails=["it@lab.example"],
    )  # fmt: skip
    watching = BackupScheduler(mailing, lab_folder.database)  # not started: no catch-up
    watching.watch()
    watching.watch()
    [message] = wait_until(lambda: messages.messages, timeout=15, what="no e-mail")
    assert message["Subject"] == "[Vidjil] backup missed" and message["To"] == "it@lab.example"
    assert "03:00 was not made" in str(message.get_payload())
    assert len(messages.messages) == 1, "told once"


def test_without_a_schedule_no_backup_starts_by_itself(lab_folder: LabFolder) -> None:
    by_hand = BackupScheduler(
        lab_folder.settings.with_values(backup_schedule=""), lab_folder.database
    )
    by_hand.start()
    try:
        assert by_hand.health().state == "never", "never backed up, yet..."
        assert set(by_hand.planned()) == {"watch"}, "...no catch-up: backups are by hand only"
    finally:
        by_hand.stop()
    assert stored_jobs(lab_folder) == []
