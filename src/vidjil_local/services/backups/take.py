"""Taking a backup while the app keeps working.

1. The database is copied by `db.copy_database` (SQLite's online backup API in one step: a
   consistent snapshot even while jobs and users write; the same copy as before an upgrade) to a
   work file in the data folder, and checked.
2. The files are stored: a file whose size and modification time match the store's copy (from the
   last backup, or earlier in this one) is not read again; others are copied while hashed, once
   per content.
3. Every file the database copy names must be in the backup. One that went missing meanwhile (a
   fused result replaced during the backup) makes the backup copy the database again and store
   what changed; after three tries, files still missing are named in the backup's warnings.
4. The manifest is written, the snapshot verified (database integrity and checksum, the files
   written re-read), and only then renamed from `.partial` into a visible backup. The retention
   rules run after that, never after a failure.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from vidjil_local import __version__
from vidjil_local.db import Database, copy_database
from vidjil_local.db.clock import now
from vidjil_local.db.migrations import applied_names
from vidjil_local.errors import Conflict, UsageError
from vidjil_local.services import disk
from vidjil_local.services.backups import contents, notify, runs
from vidjil_local.services.backups.manifest import (
    DATABASE,
    BackupError,
    DatabaseEntry,
    FileEntry,
    Manifest,
    Totals,
)
from vidjil_local.services.backups.retention import SNAPSHOT_TIME, apply_retention
from vidjil_local.services.backups.store import BackupStore, Pace, hash_file
from vidjil_local.services.backups.verify import snapshot_problems
from vidjil_local.settings import Settings

ATTEMPTS = 3
WORK_FOLDER = ".backup-work"
MIGRATIONS_TABLE = "_sqlite_migrations"


class Cancelled(Exception):
    """The app is stopping: the backup stops between two files."""


@dataclass
class Outcome:
    snapshot: str
    files: int = 0
    bytes: int = 0
    new_bytes: int = 0
    seconds: float = 0.0
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def migrations_of(path: Path) -> list[str]:
    """The schema of a database file: the migrations applied to it (opened read-only)."""
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        names = applied_names(sqlite_utils.Database(connection))
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not a vidjil-local database: {error}") from None
    finally:
        connection.close()
    if not names:
        raise BackupError(f"{path} is not a vidjil-local database (no schema migrations)")
    return names


class SnapshotWriter:
    """Stores the files of one backup, reusing what the store already holds."""

    def __init__(
        self,
        store: BackupStore,
        known: Iterable[FileEntry],
        cancelled: threading.Event | None,
        run_id: int = 0,
    ) -> None:
        self.run_id = run_id  # whose progress to advance
        self.store = store
        self.known = {entry.path: entry for entry in known}
        self.cancelled = cancelled
        self.written: set[str] = set()
        self.new_bytes = 0

    def entry(self, source: contents.Source) -> FileEntry | None:
        """The file's entry, or None when it disappeared since it was listed."""
        if self.cancelled is not None and self.cancelled.is_set():
            raise Cancelled
        try:
            stat = source.file.stat()
            known = self.known.get(source.path)
            if known and self._unchanged(known, stat.st_size, stat.st_mtime_ns):
                return known
            sha256, size, written = self.store.put(source.file)
        except FileNotFoundError:
            return None
        if written:
            self.written.add(sha256)
            self.new_bytes += size
        entry = FileEntry(path=source.path, size=size, sha256=sha256, mtime_ns=stat.st_mtime_ns)
        self.known[source.path] = entry
        return entry

    def _counted(self, entry: FileEntry | None) -> FileEntry | None:
        if entry is not None:
            runs.RUNNING_HERE.count(self.run_id, entry.size)
        return entry

    def _unchanged(self, known: FileEntry, size: int, mtime_ns: int) -> bool:
        """Same size and time as when stored, and the stored copy still there."""
        same = (known.size, known.mtime_ns) == (size, mtime_ns)
        return same and self.store.has_object(known.sha256, known.size)

    def entries(self, settings: Settings) -> list[FileEntry]:
        listed = list(contents.sources(settings))
        runs.RUNNING_HERE.advance(self.run_id, "files", files_total=len(listed))
        found = (self._counted(self.entry(source)) for source in listed)
        return [entry for entry in found if entry is not None]


def write_snapshot(
    settings: Settings,
    database: Database,
    store: BackupStore,
    *,
    trigger: str,
    run_id: int,
    cancelled: threading.Event | None = None,
    database_copy: Path | None = None,
) -> Outcome:
    """Write, verify and commit one snapshot, then apply the retention rules (store locked).
    `database_copy`: back up this copy of the database (made before an upgrade) instead of the
    live one."""
    started, started_at = time.monotonic(), now()
    store.clean_leftovers()
    outcome = Outcome(store.new_snapshot_name(datetime.now(UTC).strftime(SNAPSHOT_TIME)))
    runs.set_snapshot(database, run_id, outcome.snapshot)
    partial = store.new_partial(outcome.snapshot)
    previous = store.snapshot_ids()
    known = store.manifest(previous[-1]).files if previous else []
    writer = SnapshotWriter(store, known, cancelled, run_id)
    source = database_copy or database.path
    database_entry, files = _store_contents(settings, source, writer, partial, outcome)
    manifest = Manifest(
        snapshot=outcome.snapshot,
        created_at=started_at,
        finished_at=now(),
        app_version=__version__,
        install_id=runs.install_id(database),
        data_dir=str(settings.data_dir),
        trigger=trigger,
        sequences_included=settings.backup_sequences,
        database=database_entry,
        files=files,
        totals=Totals(files=outcome.files, bytes=outcome.bytes, new_bytes=outcome.new_bytes),
    )
    manifest.write(partial)
    runs.RUNNING_HERE.advance(run_id, "checking")
    problems = snapshot_problems(store, partial, manifest, deep=False, written=writer.written)
    if problems:
        raise BackupError("the backup failed its check: " + "; ".join(problems[:5]))
    store.commit(partial)
    runs.RUNNING_HERE.advance(run_id, "retention")
    outcome.deleted = apply_retention(
        store, last=settings.backup_keep_last, daily=settings.backup_keep_daily,
        weekly=settings.backup_keep_weekly,
    )  # fmt: skip
    outcome.seconds = round(time.monotonic() - started, 3)
    return outcome


def _store_contents(
    settings: Settings, source: Path, writer: SnapshotWriter, partial: Path, outcome: Outcome
) -> tuple[DatabaseEntry, list[FileEntry]]:
    """The database copy into the snapshot's folder and the files into the store; the totals."""
    work = work_folder(settings.data_dir, writer.store)  # used only under the store's lock
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        migrations, files = _database_and_files(settings, source, writer, work, outcome)
        shutil.copyfile(work / DATABASE, partial / DATABASE)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sha256, size = hash_file(partial / DATABASE)
    outcome.files = len(files)
    outcome.bytes = size + sum(entry.size for entry in files)
    outcome.new_bytes = writer.new_bytes + size
    return DatabaseEntry(size=size, sha256=sha256, migrations=migrations), files


def _database_and_files(
    settings: Settings, source: Path, writer: SnapshotWriter, work: Path, outcome: Outcome
) -> tuple[list[str], list[FileEntry]]:
    """The database copy in `work` and the stored files, holding every file the copy names."""
    for attempt in range(1, ATTEMPTS + 1):
        runs.RUNNING_HERE.advance(writer.run_id, "database")
        copy_database(source, work / DATABASE)  # online backup API, then integrity_check
        migrations = migrations_of(work / DATABASE)
        needed = contents.referenced(work / DATABASE, sequences=settings.backup_sequences)
        files = writer.entries(settings)
        missing = sorted(needed - {entry.path for entry in files})
        if not missing:
            return migrations, files
        if attempt == ATTEMPTS:
            shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
            outcome.warnings.append(
                f"{len(missing)} file(s) named by the database are not in the data folder: {shown}"
            )
    return migrations, files


# -- one run, with its history row --------------------------------------------------------------
_CURRENT: dict[Path, int] = {}  # data folder -> the run this process makes (or will make) of it
_CURRENT_LOCK = threading.Lock()


class BackupRunning(Conflict):
    """A backup of this data folder runs already: a second one is not started beside it."""

    def __init__(self, run: runs.BackupRun) -> None:
        started = datetime.fromisoformat(run.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        how = runs.TRIGGER_WORDS.get(run.trigger, run.trigger)
        super().__init__(
            f"a backup is already running (started {started}, {how}); it is shown on the Backups "
            "page: back up again once it has ended",
            run_id=run.id, started_at=run.started_at, trigger=run.trigger,
        )  # fmt: skip
        self.run = run


def begin_run(
    settings: Settings,
    database: Database,
    *,
    trigger: runs.Trigger,
    destination: Path,
    user_id: int | None,
) -> int:
    """Record a new run (to make with `run_backup`), unless a backup of this data folder is
    running, here or in another process (BackupRunning: the caller says so or skips)."""
    key = settings.data_dir.resolve()
    with _CURRENT_LOCK:
        running = _CURRENT.get(key) or _running_in_another_process(database)
        if running is not None:
            raise BackupRunning(runs.get(database, running))
        run_id = runs.begin(
            database, trigger=trigger, destination=str(destination), user_id=user_id
        )
        _CURRENT[key] = run_id
        runs.RUNNING_HERE.add(run_id)
        return run_id


def release_run(settings: Settings, run_id: int) -> None:
    """The run ended (or will never start): another may begin."""
    runs.RUNNING_HERE.discard(run_id)
    with _CURRENT_LOCK:
        if _CURRENT.get(settings.data_dir.resolve()) == run_id:
            del _CURRENT[settings.data_dir.resolve()]


def _running_in_another_process(database: Database) -> int | None:
    """A run another process (`vidjil-local backup`) is making: its row is `running` and its
    backup folder's lock is held."""
    for run in runs.running_elsewhere(database):
        if BackupStore(Path(run.destination)).busy():
            return run.id
    return None


def destination_of(settings: Settings, destination: Path | None) -> Path:
    folder = destination or settings.backup_dir
    if folder is None:
        raise UsageError(
            "no backup folder: set backup_dir (Backups page, or `vidjil-local settings set "
            "backup_dir FOLDER`), or give one with --to"
        )
    return folder.expanduser().resolve()


def run_backup(
    settings: Settings,
    database: Database,
    run_id: int,
    *,
    cancelled: threading.Event | None = None,
    database_copy: Path | None = None,
) -> runs.BackupRun:
    """Make the backup of run `run_id` (begun with `begin_run`) and record how it ended. A failed
    one raises after being recorded; the caller tells the admins (`notify`)."""
    run = runs.get(database, run_id)
    folder = Path(run.destination)
    try:
        store = BackupStore(folder, Pace(settings.backup_max_mb_per_second, cancelled))
        store.claim(runs.install_id(database), settings.data_dir)
        with store.locked():
            try:
                outcome = write_snapshot(
                    settings, database, store, trigger=run.trigger, run_id=run_id,
                    cancelled=cancelled, database_copy=database_copy,
                )  # fmt: skip
            except Exception as error:
                if not disk.is_disk_full(error):
                    raise
                raise _disk_full(settings, store) from error
    except Cancelled:
        runs.end_badly(
            database, run_id, runs.RunStatus.INTERRUPTED, "the app stopped during the backup"
        )
        raise
    except Exception as error:
        runs.end_badly(database, run_id, runs.RunStatus.FAILED, _reason(error))
        raise
    else:
        runs.complete(database, run_id, **vars(outcome))
    finally:
        release_run(settings, run_id)
    return runs.get(database, run_id)


def take_backup(
    settings: Settings,
    database: Database,
    *,
    trigger: runs.Trigger,
    destination: Path | None = None,
    user_id: int | None = None,
    run_id: int | None = None,
    cancelled: threading.Event | None = None,
    database_copy: Path | None = None,
) -> runs.BackupRun:
    """Back up the data folder into `destination` (default `backup_dir`): the run is recorded
    (or run `run_id`, begun by the caller with `begin_run`), a failure announced (`notify`) and
    raised as a BackupError; a backup already running raises BackupRunning, the app stopping
    (`cancelled`) Cancelled. With `database_copy` (the copy made before an upgrade), the backup
    holds that database instead of the live one."""
    if run_id is None:
        folder = destination_of(settings, destination)
        run_id = begin_run(settings, database, trigger=trigger, destination=folder, user_id=user_id)
    try:
        return run_backup(
            settings, database, run_id, cancelled=cancelled, database_copy=database_copy
        )
    except Cancelled:
        raise
    except Exception as error:
        run = runs.get(database, run_id)
        notify.backup_failed(settings, run, database)
        if isinstance(error, BackupError):
            raise
        raise BackupError(run.error or str(error)) from error


def _disk_full(settings: Settings, store: BackupStore) -> BackupError:
    """A disk ran full (the backup folder's, or the data folder's, where the database is first
    copied): the message says how much room each has; what this run wrote is removed."""
    store.discard_unfinished()
    backup_free, data_free = (
        disk.disk_usage(path)[2] for path in (store.folder, settings.data_dir)
    )
    return BackupError(
        f"a disk is full: {backup_free / 1e6:.1f} MB free for the backup folder {store.folder}, "
        f"{data_free / 1e6:.1f} MB for the data folder. Make room there, or set another "
        "backup_dir; what this backup had written is removed, the earlier backups are untouched"
    )


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None)
    if isinstance(message, str):
        return message
    if isinstance(error, OSError) and error.filename:
        return f"{error.strerror or error}: {error.filename}"
    return f"{type(error).__name__}: {error}"


def work_folder(data_dir: Path, store: BackupStore) -> Path:
    """Where the database is copied before it goes to the store (a local disk, where SQLite's
    locks work): one per backup folder, so two backups to two folders never share it."""
    digest = hashlib.sha256(str(store.folder).encode()).hexdigest()[:12]
    return data_dir / f"{WORK_FOLDER}-{digest}"
