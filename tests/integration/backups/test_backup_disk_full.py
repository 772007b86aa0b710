"""A backup folder whose disk runs full (a small real tmpfs): the run fails saying so, and what it
wrote goes at once, so the disk (often a share others use too) gets its room back; the earlier
backup stays whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.integration.backups.conftest import LabFolder
from tests.integration.resilience.small_disk import small_disk
from vidjil_local.services.backups import BackupError, BackupStore, Trigger, runs
from vidjil_local.services.backups.restore import check_backup
from vidjil_local.services.backups.take import take_backup

DISK_MEGABYTES = 3  # the lab folder's first backup takes about 1.2 MB of it
SLACK = 64 * 1024  # a tmpfs counts whole pages, and the failed run's record may grow a file


def test_a_backup_that_fills_its_disk_fails_clearly_and_gives_the_room_back(
    lab_folder: LabFolder, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "share", DISK_MEGABYTES) as share:
        settings = lab_folder.settings.with_values(backup_dir=share / "backups")
        first = take_backup(settings, lab_folder.database, trigger=Trigger.COMMAND)
        big = settings.results_dir / "1" / "999" / "big.vidjil"
        big.parent.mkdir(parents=True)
        big.write_bytes(os.urandom(DISK_MEGABYTES * 1024 * 1024))  # more than the disk has left
        free_before = shutil.disk_usage(share).free

        with pytest.raises(BackupError, match="a disk is full") as refused:
            take_backup(settings, lab_folder.database, trigger=Trigger.COMMAND)

        assert f"for the backup folder {share / 'backups'}" in str(refused.value)
        failed = runs.last(lab_folder.database)
        assert failed is not None and failed.status == "failed"
        assert "a disk is full" in str(failed.error)
        assert shutil.disk_usage(share).free >= free_before - SLACK
        store = BackupStore(share / "backups")
        assert store.snapshot_ids() == [first.snapshot]
        assert not [path for path in store.snapshots.iterdir() if path.name != first.snapshot]
        check_backup(store, str(first.snapshot))  # whole: every object re-read
