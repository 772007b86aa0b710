"""A backup back into a data folder (the app stopped: `vidjil-local restore` holds its lock).

The backup is checked whole first (every file re-hashed, the database's integrity) and refused when
damaged or written by a newer version (its schema has migrations this one does not know). The
caller backs up the current state before anything changes. The backup is then written into a
staging folder of the data folder and checked again while copied; only then does each part take
the place of the current one: settings.toml, the results, the germline sets, the sequences (when
the backup holds them), then the database. Login sessions are cleared.

A database copy alone (`backups/before-upgrade-*.sqlite`, made before a schema upgrade) restores
the database only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vidjil_local.db import Database
from vidjil_local.db.migrations import known_names
from vidjil_local.services.backups.manifest import DATABASE, BackupError, Manifest
from vidjil_local.services.backups.runs import RunStatus
from vidjil_local.services.backups.store import CHUNK, BackupStore
from vidjil_local.services.backups.take import MIGRATIONS_TABLE, migrations_of
from vidjil_local.services.backups.verify import database_problems, snapshot_problems
from vidjil_local.settings import SETTINGS_FILE, Settings, resolve_settings

SESSIONS = "sessions"


@dataclass(frozen=True)
class Restored:
    source: str  # the backup (or database copy) restored
    files: int
    bytes: int
    new_install_id: bool  # the data folder is not the one backed up: it is a new installation


def check_backup(store: BackupStore, snapshot: str) -> Manifest:
    """The backup's manifest, once the whole backup is found sound and not newer than this code."""
    manifest = store.manifest(snapshot)
    problems = snapshot_problems(store, store.snapshots / snapshot, manifest, deep=True)
    if problems:
        raise BackupError(f"backup {snapshot} is damaged: " + "; ".join(problems[:5]))
    refuse_newer(manifest.database.migrations, f"backup {snapshot}")
    return manifest


def refuse_newer(migrations: list[str], what: str) -> None:
    unknown = sorted(set(migrations) - set(known_names()))
    if unknown:
        raise BackupError(
            f"{what} was made by a newer vidjil-local (schema migrations {', '.join(unknown)} "
            "are unknown to this version): install that version to restore it",
            unknown_migrations=unknown,
        )


def restore_snapshot(settings: Settings, store: BackupStore, manifest: Manifest) -> Restored:
    """Put the checked backup in place of the data folder's content (see the module's doc)."""
    data_dir = settings.data_dir
    staging = data_dir / f".restore-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        _stage(store, manifest, staging)
        replaced = data_dir / f".replaced-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
        restored = _place(settings, manifest, staging, replaced)
        new_id = _fix_history(restored.database_path, manifest, str(data_dir))
        shutil.rmtree(replaced, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(manifest.snapshot, manifest.totals.files, manifest.totals.bytes, new_id)


def _stage(store: BackupStore, manifest: Manifest, staging: Path) -> None:
    _copy_checked(store.snapshots / manifest.snapshot / DATABASE, staging / DATABASE,
                  manifest.database.sha256)  # fmt: skip
    for entry in manifest.files:
        target = staging / Path(*entry.path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_checked(store.object_path(entry.sha256), target, entry.sha256)
        os.utime(target, ns=(entry.mtime_ns, entry.mtime_ns))


def _copy_checked(source: Path, target: Path, sha256: str) -> None:
    digest = hashlib.sha256()
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    if digest.hexdigest() != sha256:
        raise BackupError(f"{source} changed while it was restored (checksum differs)")


def _place(settings: Settings, manifest: Manifest, staging: Path, replaced: Path) -> Settings:
    """Each part of the backup in place of the current one; the settings the restored data
    folder resolves to."""
    data_dir = settings.data_dir
    replaced.mkdir()
    _swap(staging / SETTINGS_FILE, data_dir / SETTINGS_FILE, replaced / SETTINGS_FILE)
    restored = resolve_settings(data_dir)  # the restored file may place results elsewhere
    parts = {"results": restored.results_dir, "germlines": restored.germlines_dir}
    if manifest.sequences_included:
        parts["sequences"] = restored.sequences_dir
    for name, target in parts.items():
        (staging / name).mkdir(exist_ok=True)
        _swap(staging / name, target, replaced / name)
    for suffix in ("-wal", "-shm"):
        journal = data_dir / (DATABASE + suffix)
        if journal.exists():
            shutil.move(journal, replaced / journal.name)
    _swap(staging / DATABASE, restored.database_path, replaced / DATABASE)
    shutil.rmtree(data_dir / SESSIONS, ignore_errors=True)
    return restored


def _swap(new: Path, current: Path, aside: Path) -> None:
    """`new` in place of `current` (kept in `aside` until the whole restore succeeded); a
    `new` that does not exist removes `current` (the backup had none)."""
    if current.exists():
        shutil.move(current, aside)
    if new.exists():
        current.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(new, current)


def _fix_history(database_path: Path, manifest: Manifest, data_dir: str) -> bool:
    """In the restored database: the run that made this backup completed with its totals (the
    copy was taken while it ran), the others it saw running interrupted, and a new installation
    id when the backup comes from another data folder (a copy must not write into the original's
    backup folder). Returns whether the id changed."""
    connection = sqlite3.connect(database_path)
    try:
        with connection:
            totals = manifest.totals
            connection.execute(
                "UPDATE backup_runs SET status = ?, finished_at = ?, files = ?, bytes = ?, "
                "new_bytes = ? WHERE snapshot = ?",
                [RunStatus.COMPLETED, manifest.finished_at, totals.files, totals.bytes,
                 totals.new_bytes, manifest.snapshot],
            )  # fmt: skip
            connection.execute(
                "UPDATE backup_runs SET status = ?, error = ? WHERE status = ?",
                [RunStatus.INTERRUPTED, "interrupted by the restore", RunStatus.RUNNING],
            )
            moved = manifest.data_dir != data_dir
            if moved:
                connection.execute(
                    "UPDATE meta SET value = ? WHERE key = 'install_id'", [uuid.uuid4().hex]
                )
    finally:
        connection.close()
    return moved


def restore_database_copy(settings: Settings, copy: Path) -> Restored:
    """Put a database copy (made before an upgrade) in place of the database only."""
    problems = database_problems(copy)
    if problems:
        raise BackupError(f"{copy} is not a sound database: " + "; ".join(problems[:3]))
    refuse_newer(migrations_of(copy), str(copy))
    data_dir = settings.data_dir
    staging = data_dir / f".restore-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    replaced = staging / "replaced"
    replaced.mkdir()
    try:
        shutil.copyfile(copy, staging / DATABASE)
        for suffix in ("-wal", "-shm"):
            journal = settings.database_path.with_name(DATABASE + suffix)
            if journal.exists():
                shutil.move(journal, replaced / journal.name)
        _swap(staging / DATABASE, settings.database_path, replaced / DATABASE)
        shutil.rmtree(data_dir / SESSIONS, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(str(copy), 0, copy.stat().st_size, new_install_id=False)


def has_database(settings: Settings) -> bool:
    """Whether the data folder holds a database to back up before a restore."""
    if not settings.database_path.exists():
        return False
    database = Database(settings.database_path)
    try:
        tables = database.db().table_names()
    finally:
        database.close()
    return MIGRATIONS_TABLE in tables
