"""A backup folder (a `backup_dir`, a mounted share): files stored once by content, snapshots.

    <folder>/vidjil-local-backups.json   which installation owns the folder
    <folder>/objects/ab/cdef...          each file once, named by its SHA-256 (content addressing:
                                         a file that did not change is not copied again)
    <folder>/snapshots/<id>/             one backup: manifest.json and vidjil.sqlite
    <folder>/snapshots/<id>.partial/     a backup being written (or interrupted: removed later)
    <folder>/lock                        held while a backup or a clean-up writes

A snapshot becomes visible only when its folder is renamed from `.partial`, after it was verified,
so an interrupted backup never looks like a backup and never touches the earlier ones. Objects are
written to `objects/tmp/`, flushed to disk, then renamed into place.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from vidjil_local.file_lock import try_exclusive_lock
from vidjil_local.services.backups.manifest import BackupError, Manifest, read_manifest

log = logging.getLogger(__name__)
MARKER = "vidjil-local-backups.json"
CHUNK = 1024 * 1024
SNAPSHOT_NAME = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
PARTIAL, DELETING = ".partial", ".deleting"


def snapshot_order(name: str) -> tuple[str, int]:
    """Snapshots sort by time, then by their number within the same second (20260301T023000Z,
    20260301T023000Z-2, ...)."""
    stamp, _, number = name.partition(".")[0].partition("-")
    return stamp, int(number or 1)


def hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class Pace:
    """Keeps a backup's writing under `backup_max_mb_per_second`: after each chunk written, waits
    until the bytes written so far fit the limit since the backup began (waiting wakes early when
    the app stops, so a stop is not delayed by the limit)."""

    def __init__(self, mb_per_second: float, cancelled: threading.Event | None = None) -> None:
        self.bytes_per_second = mb_per_second * 1_000_000
        self.cancelled = cancelled or threading.Event()
        self.started = time.monotonic()
        self.written = 0

    def wrote(self, size: int) -> None:
        if self.bytes_per_second <= 0:
            return
        self.written += size
        ahead = self.written / self.bytes_per_second - (time.monotonic() - self.started)
        if ahead > 0:
            self.cancelled.wait(ahead)


class BackupStore:
    def __init__(self, folder: Path, pace: Pace | None = None) -> None:
        self.folder = folder
        self.pace = pace or Pace(0)
        self.objects = folder / "objects"
        self.snapshots = folder / "snapshots"

    # -- ownership and lock --------------------------------------------------------------------
    def claim(self, install_id: str, data_dir: Path) -> None:
        """Make the folder this installation's, or refuse one holding another's backups."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            marker = self.folder / MARKER
            if not marker.exists():
                owner = {"install_id": install_id, "data_dir": str(data_dir)}
                marker.write_text(json.dumps(owner, indent=1), encoding="utf-8")
            owner = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BackupError(f"the backup folder {self.folder} cannot be used: {error}") from None
        if owner.get("install_id") != install_id:
            raise BackupError(
                f"{self.folder} holds the backups of another vidjil-local (data folder "
                f"{owner.get('data_dir')}); choose an empty folder or a folder of its own",
                folder=str(self.folder),
            )

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock; BackupError when another process or thread holds it."""
        handle = open(self.folder / "lock", "a+b")  # noqa: SIM115
        try:
            if not _try_lock(handle):
                raise BackupError(f"another backup is writing to {self.folder}")
            yield
        finally:
            handle.close()

    def busy(self) -> bool | None:
        """Whether a backup is writing now (None: the folder cannot be reached)."""
        try:
            with self.locked():
                return False
        except BackupError:
            return True
        except OSError:
            return None

    # -- objects -------------------------------------------------------------------------------
    def object_path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / sha256[2:]

    def has_object(self, sha256: str, size: int) -> bool:
        try:
            return self.object_path(sha256).stat().st_size == size
        except OSError:
            return False

    def put(self, source: Path) -> tuple[str, int, bool]:
        """Store a copy of `source` (hashed while copied); (sha256, size, written) where written
        is False when an identical object was already there."""
        temporary_dir = self.objects / "tmp"
        temporary_dir.mkdir(parents=True, exist_ok=True)
        temporary = temporary_dir / uuid.uuid4().hex
        digest, size = hashlib.sha256(), 0
        with source.open("rb") as reader, temporary.open("wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
                self.pace.wrote(len(chunk))
            writer.flush()
            os.fsync(writer.fileno())
        sha256 = digest.hexdigest()
        if self.has_object(sha256, size):
            temporary.unlink()
            return sha256, size, False
        target = self.object_path(sha256)
        target.parent.mkdir(exist_ok=True)
        os.replace(temporary, target)
        return sha256, size, True

    def object_problem(self, sha256: str, size: int, *, read: bool) -> str | None:
        """What is wrong with a stored object (None: fine); `read` re-hashes its content."""
        path = self.object_path(sha256)
        if not self.has_object(sha256, size):
            return f"missing or truncated object {sha256[:12]}"
        if read and hash_file(path)[0] != sha256:
            return f"object {sha256[:12]} does not match its checksum"
        return None

    # -- snapshots -----------------------------------------------------------------------------
    def snapshot_ids(self) -> list[str]:
        """The complete snapshots, oldest first."""
        if not self.snapshots.is_dir():
            return []
        names = [path.name for path in self.snapshots.iterdir() if SNAPSHOT_NAME.match(path.name)]
        complete = [name for name in names if (self.snapshots / name / "manifest.json").exists()]
        return sorted(complete, key=snapshot_order)

    def new_snapshot_name(self, stamp: str) -> str:
        """A name after every snapshot there is (or was: a deleted name is never reused within
        its second), for a backup started at `stamp`."""
        names = [path.name for path in self.snapshots.iterdir()] if self.snapshots.is_dir() else []
        orders = [snapshot_order(name) for name in names if SNAPSHOT_NAME.match(name.split(".")[0])]
        latest = max(orders, default=("", 0))
        if stamp > latest[0]:
            return stamp
        return f"{latest[0]}-{latest[1] + 1}"

    def manifest(self, snapshot: str) -> Manifest:
        if not SNAPSHOT_NAME.match(snapshot):
            raise BackupError(f"{snapshot!r} is not the name of a backup", snapshot=snapshot)
        if snapshot not in self.snapshot_ids():
            raise BackupError(f"no backup {snapshot} in {self.folder}", snapshot=snapshot)
        return read_manifest(self.snapshots / snapshot)

    def new_partial(self, snapshot: str) -> Path:
        partial = self.snapshots / (snapshot + PARTIAL)
        partial.mkdir(parents=True)
        return partial

    def commit(self, partial: Path) -> Path:
        final = partial.with_name(partial.name.removesuffix(PARTIAL))
        os.replace(partial, final)
        return final

    def delete_snapshot(self, snapshot: str) -> None:
        """Rename first: a half-deleted snapshot is never taken for a whole one."""
        doomed = self.snapshots / (snapshot + DELETING)
        os.replace(self.snapshots / snapshot, doomed)
        shutil.rmtree(doomed)

    def clean_leftovers(self) -> list[str]:
        """Remove what interrupted runs left (partial snapshots, deletions, temporary objects);
        call it holding the lock. Returns the names of the snapshots removed."""
        removed = []
        if self.snapshots.is_dir():
            for path in self.snapshots.iterdir():
                if path.name.endswith((PARTIAL, DELETING)):
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path.name)
        shutil.rmtree(self.objects / "tmp", ignore_errors=True)
        return removed

    def discard_unfinished(self) -> None:
        """Remove what a failed run wrote (call it holding the lock): its partial snapshot and the
        objects no complete snapshot names. A run that filled the backup disk left it full (a
        share others use too) until the next success; the next run copies them again."""
        with contextlib.suppress(OSError, BackupError):  # the run's own error matters more
            self.clean_leftovers()
            self.collect_garbage()

    def collect_garbage(self) -> int:
        """Delete the objects no complete snapshot names; return how many bytes were freed."""
        wanted = {
            entry.sha256 for name in self.snapshot_ids() for entry in self.manifest(name).files
        }
        freed = 0
        if not self.objects.is_dir():
            return 0
        for bucket in self.objects.iterdir():
            if bucket.name == "tmp" or not bucket.is_dir():
                continue
            for path in bucket.iterdir():
                if bucket.name + path.name not in wanted:
                    freed += path.stat().st_size
                    path.unlink()
        return freed


def _try_lock(handle: IO[bytes]) -> bool:
    try:
        return try_exclusive_lock(handle)
    except OSError as error:  # a share without locks: go on, this process's own guard remains
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise
        log.warning("the backup folder does not support locks (%s); going on without", error)
    return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:  # a share without locks: go on, this process's own guard remains
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise
        log.warning("the backup folder does not support locks (%s); going on without", error)
    return True
