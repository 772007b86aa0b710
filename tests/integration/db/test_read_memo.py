"""`Database.remember`: a value read once, read again after any commit, from anywhere."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from vidjil_local.db import Database


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "memo.sqlite")
    with database.write() as db:
        db.execute("CREATE TABLE box (value INTEGER)")
        db.execute("INSERT INTO box VALUES (1)")
    return database


class Reader:
    def __init__(self, database: Database) -> None:
        self.database, self.reads = database, 0

    def value(self) -> int:
        return self.database.remember("box", self._read)

    def _read(self) -> int:
        self.reads += 1
        return int(self.database.db().execute("SELECT value FROM box").fetchone()[0])


def test_a_value_is_read_once_while_nothing_is_committed(database: Database) -> None:
    reader = Reader(database)
    assert [reader.value() for _ in range(5)] == [1] * 5
    assert reader.reads == 1


def test_a_commit_on_the_same_connection_is_seen_at_once(database: Database) -> None:
    reader = Reader(database)
    assert reader.value() == 1
    with database.write() as db:
        db.execute("UPDATE box SET value = 2")
    assert reader.value() == 2


def test_a_commit_by_another_connection_or_process_is_seen_at_once(
    database: Database,
) -> None:
    reader = Reader(database)
    assert reader.value() == 1
    other = sqlite3.connect(database.path, isolation_level=None)
    other.execute("UPDATE box SET value = 3")
    other.close()
    assert reader.value() == 3
    script = (
        f"import sqlite3; connection = sqlite3.connect({str(database.path)!r}); "
        "connection.execute('UPDATE box SET value = 4'); connection.commit()"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert reader.value() == 4


def test_nothing_read_inside_a_transaction_is_kept(database: Database) -> None:
    reader = Reader(database)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), database.write() as db:
        db.execute("UPDATE box SET value = 5")
        assert reader.value() == 5  # its own uncommitted write
        raise Undo
    assert reader.value() == 1, "the rolled-back value was remembered"


def _versions_asked(database: Database) -> list[str]:
    asked: list[str] = []
    database.db().conn.set_trace_callback(
        lambda statement: asked.append(statement) if "data_version" in statement else None
    )
    return asked


def test_in_a_request_the_version_is_asked_once_and_commits_before_it_are_seen(
    database: Database,
) -> None:
    reader, asked = Reader(database), _versions_asked(database)
    database.requests_reads(starting=True)
    assert [reader.value() for _ in range(3)] == [1] * 3
    assert len(asked) == 1, "each memoised read of a request asked SQLite's version"
    database.requests_reads(starting=False)
    other = sqlite3.connect(database.path, isolation_level=None)
    other.execute("UPDATE box SET value = 6")  # e.g. a right revoked between two requests
    other.close()
    database.requests_reads(starting=True)
    assert reader.value() == 6, "the next request read a value older than a commit before it"
    with database.write() as db:
        db.execute("UPDATE box SET value = 7")
    assert reader.value() == 7, "the request's own commit was not seen at once"
    database.requests_reads(starting=False)


def test_outside_a_request_every_read_asks_the_version(database: Database) -> None:
    reader, asked = Reader(database), _versions_asked(database)
    database.requests_reads(starting=True)
    database.requests_reads(starting=False)
    assert [reader.value() for _ in range(3)] == [1] * 3
    assert len(asked) == 3
    other = sqlite3.connect(database.path, isolation_level=None)
    other.execute("UPDATE box SET value = 8")
    other.close()
    assert reader.value() == 8
