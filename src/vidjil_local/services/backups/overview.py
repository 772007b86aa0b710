"""The Backups page's content: the state, what a backup holds, the history and the backups kept."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Protocol

import msgspec

from vidjil_local.db import Database
from vidjil_local.services.backups import runs
from vidjil_local.services.backups.contents import Contents, describe
from vidjil_local.services.backups.health import BackupHealth
from vidjil_local.services.backups.manifest import BackupError
from vidjil_local.services.backups.runs import BackupRun
from vidjil_local.services.backups.store import BackupStore
from vidjil_local.settings import Settings


class Scheduler(Protocol):
    def health(self) -> BackupHealth: ...

    def run_now(self, user_id: int | None) -> BackupRun: ...


class SnapshotInfo(msgspec.Struct):
    name: str
    created_at: str
    trigger: str
    files: int
    bytes: int
    new_bytes: int
    sequences_included: bool
    app_version: str


class BackupOverview(msgspec.Struct):
    health: BackupHealth
    contents: Contents
    runs: list[BackupRun]
    snapshots: list[SnapshotInfo]  # newest first
    snapshots_problem: str | None  # why the backup folder could not be read
    restore_command: str


@functools.lru_cache(maxsize=512)
def _info(folder: str, name: str) -> SnapshotInfo:
    """A backup's summary (a backup never changes once written: read its manifest once)."""
    manifest = BackupStore(Path(folder)).manifest(name)
    return SnapshotInfo(
        name=name, created_at=manifest.created_at, trigger=manifest.trigger,
        files=manifest.totals.files, bytes=manifest.totals.bytes,
        new_bytes=manifest.totals.new_bytes, sequences_included=manifest.sequences_included,
        app_version=manifest.app_version,
    )  # fmt: skip


def snapshots(folder: Path) -> list[SnapshotInfo]:
    names = BackupStore(folder).snapshot_ids()
    return [_info(str(folder), name) for name in reversed(names)]


def overview(settings: Settings, database: Database, scheduler: Scheduler) -> BackupOverview:
    health = scheduler.health()
    found: list[SnapshotInfo] = []
    problem = None
    if settings.backup_dir is not None:
        try:
            found = snapshots(settings.backup_dir)
        except (OSError, BackupError) as error:
            problem = f"the backup folder {settings.backup_dir} cannot be read: {error}"
    folder = settings.backup_dir or Path("FOLDER")
    return BackupOverview(
        health=health,
        contents=describe(settings),
        runs=runs.recent(database),
        snapshots=found,
        snapshots_problem=problem,
        restore_command=f'vidjil-local --data-dir "{settings.data_dir}" restore latest '
        f'--from "{folder}"',
    )
