"""A backup asked for while another runs: "Back up now" during a scheduled backup is answered with
the running one (its start, how it was started, how far it is), never recorded as a failure nor
e-mailed; a scheduled time reached during a backup by hand is skipped quietly; the command line
refuses while the app backs up. The backups themselves are real; the test only holds the running
one at its second file (`held`) so that it is still running while the test acts."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Inbox
from tests.integration.backups.conftest import LabFolder
from tests.waiting import wait_until
from vidjil_local.services.backups import BackupScheduler, runs
from vidjil_local.services.backups.store import BackupStore
from vidjil_local.services.backups.take import BackupRunning


class Held:
    """The second file a backup stores waits for `release`."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()
        self.calls = 0


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    hold = Held()
    real_put = BackupStore.put

    def put(store: BackupStore, source: Path) -> tuple[str, int, bool]:
        hold.calls += 1
        if hold.calls == 2:
            hold.reached.set()
            assert hold.release.wait(60), "the test never released the backup"
        return real_put(store, source)

    monkeypatch.setattr(BackupStore, "put", put)
    yield hold
    hold.release.set()


@pytest.fixture
def scheduler(lab_folder: LabFolder, inbox: tuple[Inbox, int]) -> Iterator[BackupScheduler]:
    _, port = inbox
    settings = lab_folder.settings.with_values(
        backup_schedule="0 3 * * *", smtp_server=f"127.0.0.1:{port}",
        smtp_from_email="vidjil@lab.example", smtp_tls=False,
        smtp_admin_emails=["it@lab.example"],
    )  # fmt: skip
    started = BackupScheduler(settings, lab_folder.database)
    started.start()
    yield started
    started.stop()


def in_background(work: object) -> threading.Thread:
    thread = threading.Thread(target=work)  # type: ignore[arg-type]
    thread.start()
    return thread


def test_back_up_now_during_a_scheduled_backup_names_the_running_one(
    lab_folder: LabFolder, scheduler: BackupScheduler, held: Held, inbox: tuple[Inbox, int]
) -> None:
    scheduled = in_background(scheduler.run_scheduled)
    assert held.reached.wait(30)
    [running] = lab_folder.rows("backup_runs")
    with pytest.raises(BackupRunning) as refused:
        scheduler.run_now(user_id=None)
    assert refused.value.details == {
        "run_id": running["id"], "started_at": running["started_at"], "trigger": "schedule",
    }  # fmt: skip
    assert refused.value.http_status == 409
    assert "a backup is already running (started " in refused.value.message
    assert ", scheduled)" in refused.value.message

    state = scheduler.health()
    assert state.state == "running" and not state.alert and "scheduled" in state.message
    assert state.last_run is not None and state.last_run.progress is not None
    progress = state.last_run.progress
    assert progress.phase == "files" and progress.files_done == 1
    assert progress.files_total == len(lab_folder.tree("results", "germlines")) + 1  # settings
    assert progress.bytes_done > 0

    held.release.set()
    scheduled.join(60)
    [done] = runs.recent(lab_folder.database)
    assert done.status == "completed" and done.trigger == "schedule" and done.progress is None
    after = scheduler.run_now(user_id=None)  # once it ended, "Back up now" backs up
    wait_until(
        lambda: runs.get(lab_folder.database, after.id).status == "completed",
        timeout=60, what="the backup by hand did not complete",
    )  # fmt: skip
    messages, _ = inbox
    assert messages.messages == [], "nothing failed: nothing e-mailed"


def test_a_scheduled_time_during_a_backup_by_hand_is_skipped_quietly(
    lab_folder: LabFolder,
    scheduler: BackupScheduler,
    held: Held,
    caplog: pytest.LogCaptureFixture,
    inbox: tuple[Inbox, int],
) -> None:
    by_hand = scheduler.run_now(user_id=None)
    assert held.reached.wait(30)
    with caplog.at_level(logging.WARNING):
        scheduler.run_scheduled()
    assert "a backup (scheduled) is skipped: a backup is already running" in caplog.text
    assert [run.id for run in runs.recent(lab_folder.database)] == [by_hand.id]
    held.release.set()
    wait_until(
        lambda: runs.get(lab_folder.database, by_hand.id).status == "completed",
        timeout=60, what="the backup by hand did not complete",
    )  # fmt: skip
    messages, _ = inbox
    assert messages.messages == []


def test_the_command_line_refuses_while_the_app_backs_up(
    lab_folder: LabFolder, scheduler: BackupScheduler, held: Held
) -> None:
    by_hand = scheduler.run_now(user_id=None)
    assert held.reached.wait(30)
    data_dir = str(lab_folder.settings.data_dir)
    command = [sys.executable, "-m", "vidjil_local", "--data-dir", data_dir]
    answer = subprocess.run(
        [*command, "backup"], capture_output=True, text=True, timeout=60, check=False
    )
    assert answer.returncode == 1, answer
    assert "a backup is already running" in answer.stderr + answer.stdout
    assert "by hand" in answer.stderr + answer.stdout
    assert [run.id for run in runs.recent(lab_folder.database)] == [by_hand.id], "no failed row"
    held.release.set()
    wait_until(
        lambda: runs.get(lab_folder.database, by_hand.id).status == "completed",
        timeout=60, what="the backup by hand did not complete",
    )  # fmt: skip


def test_a_backup_begun_but_never_started_is_released_when_the_app_stops(
    lab_folder: LabFolder, inbox: tuple[Inbox, int]
) -> None:
    stopped = BackupScheduler(lab_folder.settings, lab_folder.database)  # never started
    waiting = stopped.run_now(user_id=None)
    stopped.stop()
    assert runs.get(lab_folder.database, waiting.id).status == "interrupted"
    again = BackupScheduler(lab_folder.settings, lab_folder.database)
    again.start()
    try:
        run = again.run_now(user_id=None)
        wait_until(
            lambda: runs.get(lab_folder.database, run.id).status == "completed",
            timeout=60, what="the next backup did not complete",
        )  # fmt: skip
    finally:
        again.stop()
