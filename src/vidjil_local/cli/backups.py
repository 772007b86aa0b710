"""`vidjil-local backup` (make, list, verify backups) and `vidjil-local restore BACKUP`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidjil_local.db import Database, migrate
from vidjil_local.errors import UsageError
from vidjil_local.launcher.instance import InstanceLock
from vidjil_local.services.backups import BackupError, BackupStore, Trigger, runs
from vidjil_local.services.backups.health import format_size
from vidjil_local.services.backups.restore import (
    Restored,
    check_backup,
    has_database,
    restore_database_copy,
    restore_snapshot,
)
from vidjil_local.services.backups.take import destination_of, take_backup
from vidjil_local.settings import Settings

Subparsers = Any
SettingsFrom = Callable[[argparse.Namespace], Settings]


def take(settings: Settings, destination: Path | None, trigger: Trigger) -> runs.BackupRun:
    """One backup of the data folder (migrated first, as the next start would)."""
    database = Database(settings.database_path)
    try:
        migrate(database.db())
        return take_backup(settings, database, trigger=trigger, destination=destination)
    finally:
        database.close()


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    destination = Path(args.to) if args.to else None
    if args.list:
        return _list(BackupStore(destination_of(settings, destination)))
    if args.verify:
        return _verify(BackupStore(destination_of(settings, destination)), args.verify)
    run = take(settings, destination, Trigger.COMMAND)
    size, new = format_size(run.bytes), format_size(run.new_bytes)
    print(
        f"backup {run.snapshot} written to {run.destination}: {run.files} files, {size} "
        f"({new} new), checked, in {run.seconds:.1f} s"
    )
    for warning in run.warnings:
        print(f"warning: {warning}")
    if run.deleted:
        print(f"removed by the retention rules: {', '.join(run.deleted)}")
    return 0


def _list(store: BackupStore) -> int:
    snapshots = store.snapshot_ids()
    if not snapshots:
        print(f"no backup in {store.folder}")
    for snapshot in snapshots:
        manifest = store.manifest(snapshot)
        how = manifest.trigger + (", with sequences" if manifest.sequences_included else "")
        size = format_size(manifest.totals.bytes)
        print(f"{snapshot}  {manifest.totals.files:>7} files  {size:>9}  {how}")
    return 0


def _verify(store: BackupStore, snapshot: str) -> int:
    name = _latest(store) if snapshot == "latest" else snapshot
    manifest = check_backup(store, name)
    print(f"backup {name} is sound: {manifest.totals.files} files and the database re-read")
    return 0


def _latest(store: BackupStore) -> str:
    snapshots = store.snapshot_ids()
    if not snapshots:
        raise BackupError(f"no backup in {store.folder}")
    return snapshots[-1]


def register_backup(subparsers: Subparsers, settings_from: SettingsFrom) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="back up the data folder now (database, results, analyses, settings, germline sets)",
    )
    parser.add_argument("--to", metavar="FOLDER", help="backup folder (default: backup_dir)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="list the backups in the folder")
    what.add_argument(
        "--verify", metavar="BACKUP", help="re-read a backup (or 'latest') and check it whole"
    )
    parser.set_defaults(handler=lambda args: _backup(settings_from(args), args))


# -- restore -----------------------------------------------------------------------------------
def _restore(settings: Settings, args: argparse.Namespace) -> int:
    lock = InstanceLock(settings.data_dir)
    lock.acquire_or_raise()  # the app must be stopped: nothing may write during a restore
    try:
        return _restore_locked(settings, args)
    finally:
        lock.release()


def _restore_locked(settings: Settings, args: argparse.Namespace) -> int:
    copy = Path(args.backup)
    if args.backup.endswith(".sqlite") and copy.is_file():
        _back_up_current(settings, args.backup_first_to, fallback=None)
        _report(settings, restore_database_copy(settings, copy))
        return 0
    store, snapshot = _locate(settings, args)
    manifest = check_backup(store, snapshot)
    _back_up_current(settings, args.backup_first_to, fallback=store.folder)
    _report(settings, restore_snapshot(settings, store, manifest))
    return 0


def _locate(settings: Settings, args: argparse.Namespace) -> tuple[BackupStore, str]:
    given = Path(args.backup)
    if (given / "manifest.json").is_file():  # the path of a backup's folder
        return BackupStore(given.resolve().parent.parent), given.resolve().name
    if args.source is None and settings.backup_dir is None:
        raise UsageError("say where the backups are: --from FOLDER (or set backup_dir)")
    store = BackupStore(Path(args.source) if args.source else destination_of(settings, None))
    return store, _latest(store) if args.backup == "latest" else args.backup


def _back_up_current(settings: Settings, explicit: str | None, fallback: Path | None) -> None:
    if not has_database(settings):
        print(f"{settings.data_dir} holds no database yet: nothing to back up first")
        return
    destination = Path(explicit) if explicit else settings.backup_dir or fallback
    if destination is None:
        raise UsageError(
            "the current state is backed up first: give a folder with --backup-first-to"
        )
    run = take(settings, destination, Trigger.BEFORE_RESTORE)
    print(f"the current state was backed up first as {run.snapshot} in {run.destination}")


def _report(settings: Settings, restored: Restored) -> None:
    print(
        f"restored {restored.source} into {settings.data_dir} ({restored.files} files, "
        f"{format_size(restored.bytes)}); everyone logs in again at the next start"
    )
    if restored.new_install_id:
        print(
            "this data folder is a copy of another one: give its backups a folder of their own "
            "(backup_dir)"
        )


def register_restore(subparsers: Subparsers, settings_from: SettingsFrom) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="replace the data folder's content by a backup (the app must be stopped; the "
        "current state is backed up first)",
    )
    parser.add_argument(
        "backup",
        help="a backup's name (see `backup --list`), 'latest', the path of a backup's folder, or "
        "a database copy made before an upgrade (backups/before-upgrade-*.sqlite)",
    )
    parser.add_argument(
        "--from", dest="source", metavar="FOLDER", help="backup folder (default: backup_dir)"
    )
    parser.add_argument(
        "--backup-first-to",
        metavar="FOLDER",
        help="where the current state is backed up first (default: backup_dir, else the backup "
        "folder restored from)",
    )
    parser.set_defaults(handler=lambda args: _restore(settings_from(args), args))
