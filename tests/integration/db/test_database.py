from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from vidjil_local.db import Database, connect, migrate, pending_names, schema_version
from vidjil_local.db.migrations import known_names
from vidjil_local.errors import DatabaseError


def test_pragmas_and_migrations(tmp_path: Path) -> None:
    db = connect(tmp_path / "v.sqlite")
    assert migrate(db) == known_names()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert schema_version(db) == len(known_names())
    assert db.table("meta").get("schema_version")["value"] == str(len(known_names()))
    assert migrate(db) == []  # idempotent
    assert pending_names(db) == []
    db.conn.close()


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    db = connect(tmp_path / "v.sqlite")
    migrate(db)
    db.table("_sqlite_migrations").insert(
        {"migration_set": "vidjil_local", "name": "m999_from_the_future", "applied_at": "x"}
    )
    with pytest.raises(DatabaseError, match="newer vidjil-local"):
        migrate(db)
    db.conn.close()


def test_write_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    database = Database(tmp_path / "v.sqlite")
    migrate(database.db())
    with pytest.raises(RuntimeError), database.write() as db:
        db.table("meta").insert({"key": "half", "value": "written"})
        raise RuntimeError("boom")
    assert database.db().table("meta").count_where("key = 'half'") == 0
    database.close()


def _increment_many(path: str, times: int) -> None:
    database = Database(Path(path))
    for _ in range(times):
        with database.write() as db:
            value = int(db.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()[0])
            db.execute("UPDATE meta SET value = ? WHERE key = 'counter'", [str(value + 1)])
    database.close()


def test_concurrent_writers_in_processes_lose_nothing(tmp_path: Path) -> None:
    """Read-modify-write from 4 processes: BEGIN IMMEDIATE serialises them without 'locked'."""
    path = tmp_path / "v.sqlite"
    database = Database(path)
    migrate(database.db())
    database.db().table("meta").insert({"key": "counter", "value": "0"})
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_increment_many, args=(str(path), 150)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert (
        database.db().execute("SELECT value FROM meta WHERE key='counter'").fetchone()[0] == "600"
    )
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    database.close()
