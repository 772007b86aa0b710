"""The check of a backup: its database copy (size, checksum, PRAGMA integrity_check) and each file
it names (stored with its size; re-read and re-hashed when `deep`, or when written just now).

Run after every backup is written, before it becomes visible; `vidjil-local backup --verify` and
every restore run it deep.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

from vidjil_local.services.backups.manifest import DATABASE, Manifest
from vidjil_local.services.backups.store import BackupStore, hash_file

MAX_PROBLEMS = 20


def database_problems(path: Path) -> list[str]:
    """What PRAGMA integrity_check finds in a database file, opened read-only and immutable (no
    lock, no journal: it works on a share too). Empty: sound."""
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        return [f"the database copy cannot be read: {error}"]
    return [] if rows == ["ok"] else [f"database copy: {row}" for row in rows]


def snapshot_problems(
    store: BackupStore,
    folder: Path,
    manifest: Manifest,
    *,
    deep: bool,
    written: Collection[str] = (),
) -> list[str]:
    """Everything wrong with the snapshot in `folder` (at most MAX_PROBLEMS; empty: sound)."""
    problems = _database(folder / DATABASE, manifest)
    for entry in manifest.files:
        problem = store.object_problem(
            entry.sha256, entry.size, read=deep or entry.sha256 in written
        )
        if problem:
            problems.append(f"{entry.path}: {problem}")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _database(path: Path, manifest: Manifest) -> list[str]:
    if not path.is_file():
        return ["the database copy is missing"]
    sha256, size = hash_file(path)
    if (sha256, size) != (manifest.database.sha256, manifest.database.size):
        return ["the database copy does not match its checksum"]
    return database_problems(path)
