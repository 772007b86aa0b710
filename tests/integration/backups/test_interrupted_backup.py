"""A backup killed mid-way (kill -9 of `vidjil-local backup`) leaves the earlier backups whole,
is never taken for a backup, is reported as interrupted, and the next one cleans up after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.backups.conftest import LabFolder
from tests.waiting import wait_until
from vidjil_local.cli import main
from vidjil_local.services.backups import BackupStore, Trigger, health, runs
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import write_setting

pytestmark = pytest.mark.slow
MEGABYTE = 1024 * 1024


def add_results(lab: LabFolder, folder: str, count: int) -> None:
    target = lab.settings.results_dir / folder
    target.mkdir(parents=True)
    for number in range(count):
        (target / f"{number}.vidjil").write_bytes(os.urandom(MEGABYTE))


def test_a_killed_backup_leaves_the_others_intact_and_is_reported(lab_folder: LabFolder) -> None:
    add_results(lab_folder, "first", 20)
    first = take_backup(lab_folder.settings, lab_folder.database, trigger=Trigger.COMMAND)
    add_results(lab_folder, "second", 30)
    data_dir = lab_folder.settings.data_dir
    # the killed backup writes 2 MB/s at most: its 30 MB take 15 s on any machine, so it is
    # still running when killed after its first new files, however fast the disk
    write_setting(data_dir, "backup_max_mb_per_second", "2", environ={})
    command = [sys.executable, "-m", "vidjil_local", "--data-dir", str(data_dir), "backup"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    store = BackupStore(lab_folder.backups)
    try:
        partial = wait_until(
            lambda: next(store.snapshots.glob("*.partial"), None), timeout=60, interval=0.01,
            what="the backup did not start",
        )  # fmt: skip
        wait_until(
            lambda: len(list(store.objects.glob("??/*"))) > (first.files or 0) + 2, timeout=60,
            interval=0.01, what="the backup stored no new file",
        )  # fmt: skip
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert partial.exists(), "killed before it finished"
    assert store.snapshot_ids() == [first.snapshot]
    assert main(["--data-dir", str(data_dir), "backup", "--verify", str(first.snapshot)]) == 0

    killed = runs.last(lab_folder.database)
    assert killed is not None and killed.status == "running"  # what the kill left
    [found] = health.reconcile(lab_folder.database)
    assert found.id == killed.id and found.status == "interrupted"
    state = health.check(lab_folder.settings, lab_folder.database, None)
    assert (
        state.state == "interrupted"
        and state.alert
        and "stopped before it finished" in state.message
    )

    after = take_backup(lab_folder.settings, lab_folder.database, trigger=Trigger.COMMAND)
    assert store.snapshot_ids() == [first.snapshot, after.snapshot]
    assert not partial.exists() and list((store.objects / "tmp").iterdir()) == []
    assert not list(data_dir.glob(".backup-work-*"))
    assert health.check(lab_folder.settings, lab_folder.database, None).state == "ok"
    assert main(["--data-dir", str(data_dir), "backup", "--verify", "latest"]) == 0
    assert Path(after.destination) == lab_folder.backups
