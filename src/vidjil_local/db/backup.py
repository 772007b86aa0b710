"""Whole, checked copies of the live database.

`copy_database` is the one way to copy it: the copy before a schema upgrade (`upgrade.py`) uses it,
and so will the backups an administrator schedules. SQLite's online backup API copies a consistent
snapshot while the app keeps writing (WAL content included), which copying the file does not.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from vidjil_local.errors import DatabaseError

BUSY_TIMEOUT_SECONDS = 30.0


def copy_database(source: Path, target: Path) -> Path:
    """Copy the database at `source` to `target` and check the copy (PRAGMA integrity_check).

    The copy is written under a temporary name and renamed once checked, so a file with the final
    name is always whole; a failed check deletes the copy and raises `DatabaseError`.
    """
    if not source.is_file():
        raise DatabaseError(f"no database to copy at {source}", path=str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        problems = _backup_and_check(source, partial)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"copying the database failed: {error}", path=str(source)) from None
    if problems:
        partial.unlink(missing_ok=True)
        raise DatabaseError(
            f"the copy of {source} failed its integrity check: {'; '.join(problems[:5])}",
            path=str(source),
        )
    os.replace(partial, target)
    return target


def integrity_problems(path: Path) -> list[str]:
    """What PRAGMA integrity_check finds wrong in the database at `path` (empty: sound)."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        return _problems(connection)
    finally:
        connection.close()


def _backup_and_check(source: Path, target: Path) -> list[str]:
    origin = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        copy = sqlite3.connect(target)
        try:
            origin.backup(copy)
            return _problems(copy)
        finally:
            copy.close()
    finally:
        origin.close()


def _problems(connection: sqlite3.Connection) -> list[str]:
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows
