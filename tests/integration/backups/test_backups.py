"""Backups of a real data folder: what they hold, incremental storage, the check after writing,
retention, damaged or newer backups refused, restore into an empty folder, and failures reported
(history, health, e-mail to the admins)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import Inbox
from tests.integration.backups.conftest import PASSWORD, LabFolder
from vidjil_local.cli import main
from vidjil_local.db import Database
from vidjil_local.db.migrations import known_names
from vidjil_local.services.accounts.passwords import verify_password
from vidjil_local.services.backups import BackupError, BackupStore, Trigger, health, runs
from vidjil_local.services.backups.manifest import DATABASE
from vidjil_local.services.backups.restore import check_backup
from vidjil_local.services.backups.store import Pace
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import Settings, resolve_settings


def backup(lab: LabFolder, settings: Settings | None = None) -> runs.BackupRun:
    return take_backup(settings or lab.settings, lab.database, trigger=Trigger.COMMAND)


def test_a_backup_holds_the_database_results_germlines_and_settings(lab_folder: LabFolder) -> None:
    run = backup(lab_folder)
    assert run.status == "completed" and run.warnings == []
    store = BackupStore(lab_folder.backups)
    manifest = store.manifest(str(run.snapshot))
    paths = {entry.path for entry in manifest.files}
    assert paths == {*lab_folder.tree("results", "germlines"), "settings.toml"}
    on_disk = lab_folder.tree("results", "germlines")
    for entry in manifest.files:
        if entry.path != "settings.toml":
            assert on_disk[entry.path] == entry.sha256
    assert not any(path.startswith("sequences/") for path in paths), "sequences are off by default"
    assert manifest.database.migrations == known_names()
    copy = sqlite3.connect(store.snapshots / str(run.snapshot) / DATABASE)
    assert copy.execute("SELECT count(*) FROM analyses").fetchone()[0] == 1
    copy.close()
    assert run.files == len(manifest.files) and run.bytes == manifest.totals.bytes


def test_sequences_are_included_when_asked(lab_folder: LabFolder) -> None:
    run = backup(lab_folder, lab_folder.settings.with_values(backup_sequences=True))
    manifest = BackupStore(lab_folder.backups).manifest(str(run.snapshot))
    sequences = {entry.path for entry in manifest.files if entry.path.startswith("sequences/")}
    assert sequences == {"sequences/1_1.fastq.gz", "sequences/2_1.fastq.gz"}
    assert manifest.sequences_included


def test_an_unchanged_file_is_stored_once(lab_folder: LabFolder) -> None:
    first = backup(lab_folder)
    changed = lab_folder.settings.results_dir / "1/101/s1.vidjil"
    changed.write_bytes(b"re-analysed" * 1000)
    second = backup(lab_folder)
    database_size = BackupStore(lab_folder.backups).manifest(str(second.snapshot)).database.size
    assert second.new_bytes == 11_000 + database_size
    assert first.new_bytes is not None and first.new_bytes > 700_000
    objects = list((lab_folder.backups / "objects").glob("??/*"))
    assert len(objects) == (first.files or 0) + 1


def test_retention_deletes_only_what_its_rules_say(lab_folder: LabFolder) -> None:
    keep_two = lab_folder.settings.with_values(
        backup_keep_last=2, backup_keep_daily=0, backup_keep_weekly=0
    )
    made = []
    for number in range(4):
        (lab_folder.settings.results_dir / f"extra{number}.txt").write_text(f"file {number}")
        made.append(backup(lab_folder, keep_two))
    store = BackupStore(lab_folder.backups)
    assert store.snapshot_ids() == [made[2].snapshot, made[3].snapshot]
    assert made[2].deleted == [made[0].snapshot] and made[3].deleted == [made[1].snapshot]
    kept_files = {
        entry.sha256 for name in store.snapshot_ids() for entry in store.manifest(name).files
    }
    stored = {
        path.parent.name + path.name for path in (lab_folder.backups / "objects").glob("??/*")
    }
    assert stored == kept_files  # the files only the deleted backups held are gone, no other
    for name in store.snapshot_ids():
        assert (
            main(["--data-dir", str(lab_folder.settings.data_dir), "backup", "--verify", name]) == 0
        )


def test_a_backup_restores_into_an_empty_folder(lab_folder: LabFolder, tmp_path: Path) -> None:
    run = backup(lab_folder, lab_folder.settings.with_values(backup_sequences=True))
    target = tmp_path / "elsewhere"
    code = main(
        ["--data-dir", str(target), "restore", str(run.snapshot), "--from", str(lab_folder.backups)]
    )
    assert code == 0
    restored = resolve_settings(target, environ={})
    assert restored.max_wrong_passwords == 3 and restored.backup_dir == lab_folder.backups
    copy = LabFolder(restored, Database(restored.database_path), lab_folder.backups)
    try:
        assert copy.tree("results", "germlines", "sequences") == lab_folder.tree(
            "results", "germlines", "sequences"
        )
        for table in ("users", "sample_sets", "samples", "results", "fused_results", "analyses"):
            assert copy.rows(table) == lab_folder.rows(table), table
        [user] = copy.rows("users")
        assert verify_password(str(user["password_hash"]), PASSWORD)
        restored_run = runs.get(copy.database, run.id)
        assert restored_run.status == "completed"
        # the copy was taken while its run had no totals yet: the status page said "None files"
        assert (restored_run.files, restored_run.bytes) == (run.files, run.bytes)
        shown = health.check(restored, copy.database, None).message
        assert f"{run.files} files" in shown and "None" not in shown
        assert runs.install_id(copy.database) != runs.install_id(lab_folder.database)
    finally:
        copy.database.close()


def test_a_damaged_backup_is_refused_and_nothing_changes(
    lab_folder: LabFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = backup(lab_folder)
    store = BackupStore(lab_folder.backups)
    entry = next(entry for entry in store.manifest(str(run.snapshot)).files if entry.size > 1000)
    damaged = bytearray(store.object_path(entry.sha256).read_bytes())
    damaged[500] ^= 0xFF
    store.object_path(entry.sha256).write_bytes(bytes(damaged))
    data_dir = str(lab_folder.settings.data_dir)
    assert main(["--data-dir", data_dir, "backup", "--verify", "latest"]) == 1
    before = lab_folder.tree("results")
    assert main(["--data-dir", data_dir, "restore", "latest"]) == 1
    assert (
        f"{entry.path}: object {entry.sha256[:12]} does not match its checksum"
        in capsys.readouterr().err
    )
    assert lab_folder.tree("results") == before and store.snapshot_ids() == [run.snapshot]


def test_a_backup_of_a_newer_version_is_refused(lab_folder: LabFolder, tmp_path: Path) -> None:
    with lab_folder.database.write() as db:
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('vidjil_local', 'm999_from_the_future', '2030-01-01')"
        )
    run = backup(lab_folder)
    target = tmp_path / "elsewhere"
    with pytest.raises(BackupError, match=r"newer vidjil-local .*m999_from_the_future"):
        check_backup(BackupStore(lab_folder.backups), str(run.snapshot))
    assert (
        main(["--data-dir", str(target), "restore", "latest", "--from", str(lab_folder.backups)])
        == 1
    )
    assert not (target / "vidjil.sqlite").exists()


def test_the_current_state_is_backed_up_before_a_restore(lab_folder: LabFolder) -> None:
    first = backup(lab_folder)
    (lab_folder.settings.results_dir / "after-the-backup.txt").write_text("made later")
    data_dir = str(lab_folder.settings.data_dir)
    lab_folder.database.close()
    assert main(["--data-dir", data_dir, "restore", str(first.snapshot)]) == 0
    assert not (lab_folder.settings.results_dir / "after-the-backup.txt").exists()
    store = BackupStore(lab_folder.backups)
    safety = store.manifest(store.snapshot_ids()[-1])
    assert safety.trigger == "before_restore"
    assert "results/after-the-backup.txt" in {entry.path for entry in safety.files}
    assert main(["--data-dir", data_dir, "restore", safety.snapshot]) == 0
    assert (lab_folder.settings.results_dir / "after-the-backup.txt").read_text() == "made later"


def test_a_folder_of_another_installation_is_refused(lab_folder: LabFolder, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "migrate"]) == 0
    assert main(["--data-dir", str(other), "backup", "--to", str(lab_folder.backups)]) == 0
    with pytest.raises(BackupError, match="holds the backups of another vidjil-local"):
        backup(lab_folder)


def test_a_missing_result_file_is_a_warning_not_a_failure(lab_folder: LabFolder) -> None:
    (lab_folder.settings.results_dir / "1/101/s1.tsv").unlink()
    run = backup(lab_folder)
    assert run.status == "completed"
    assert run.warnings == [
        "1 file(s) named by the database are not in the data folder: results/1/101/s1.tsv"
    ]


def test_a_failed_backup_is_recorded_shown_and_emailed(
    lab_folder: LabFolder, inbox: tuple[Inbox, int]
) -> None:
    good = backup(lab_folder)
    messages, port = inbox
    blocked = lab_folder.settings.data_dir.parent / "a-file-not-a-folder"
    blocked.write_text("")
    settings = lab_folder.settings.with_values(
        backup_dir=blocked, smtp_server=f"127.0.0.1:{port}", smtp_from_email="vidjil@lab.example",
        smtp_tls=False, smtp_admin_emails=("it@lab.example", "boss@lab.example"),
    )  # fmt: skip
    with pytest.raises(BackupError, match="cannot be used"):
        backup(lab_folder, settings)
    failed = runs.last(lab_folder.database)
    assert failed is not None and failed.status == "failed" and str(blocked) in str(failed.error)
    state = health.check(settings, lab_folder.database, None)
    assert state.state == "failed" and state.alert and str(blocked) in state.message
    assert state.last_success_at == good.finished_at
    assert sorted(message["To"] for message in messages.messages) == [
        "boss@lab.example", "it@lab.example",
    ]  # fmt: skip
    assert messages.messages[0]["Subject"] == "[Vidjil] backup failed"
    body = messages.messages[0].get_payload(decode=True)
    assert isinstance(body, bytes) and str(blocked) in body.decode()


def test_a_backup_file_left_by_hand_in_the_store_is_ignored(lab_folder: LabFolder) -> None:
    run = backup(lab_folder)
    (lab_folder.backups / "snapshots" / "notes.txt").write_text("kept by the IT team")
    shutil.copytree(
        lab_folder.backups / "snapshots" / str(run.snapshot), lab_folder.backups / "copy"
    )
    assert BackupStore(lab_folder.backups).snapshot_ids() == [run.snapshot]
    assert json.loads((lab_folder.backups / "vidjil-local-backups.json").read_text())["install_id"]


def test_a_backup_writes_no_faster_than_backup_max_mb_per_second(lab_folder: LabFolder) -> None:
    new_bytes = 400_000  # new content: the store holds nothing yet besides what this adds
    (lab_folder.settings.results_dir / "big.vidjil").write_bytes(b"x" * new_bytes)
    limited = lab_folder.settings.with_values(backup_max_mb_per_second=1.0)
    run = backup(lab_folder, limited)
    assert run.status == "completed"
    assert run.seconds is not None and run.seconds >= new_bytes / 1_000_000


def test_a_limited_backup_stops_at_once_when_the_app_stops(lab_folder: LabFolder) -> None:
    """The limit would make this backup last for days; the app stopping ends it between chunks."""
    stopping = threading.Event()
    stopping.set()
    store = BackupStore(lab_folder.backups, Pace(0.000_001, stopping))
    source = lab_folder.settings.results_dir / "big.vidjil"
    source.write_bytes(b"y" * 300_000)
    started = time.monotonic()
    store.put(source)
    assert time.monotonic() - started < 60
