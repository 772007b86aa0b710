"""Which errors mean "the disk is full": real ones, made by the system, not built by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vidjil_local.errors import VidjilError
from vidjil_local.services.disk import is_disk_full


def sqlite_full_error(tmp_path: Path) -> sqlite3.Error:
    """SQLite's SQLITE_FULL, from a database not allowed to grow (as on a full disk)."""
    connection = sqlite3.connect(tmp_path / "small.sqlite")
    connection.execute("CREATE TABLE t (x BLOB)")
    connection.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.Error) as raised:
        connection.execute("INSERT INTO t VALUES (zeroblob(100000))")
    connection.close()
    return raised.value


def test_sqlite_full_and_enospc_are_a_full_disk_even_when_wrapped(tmp_path: Path) -> None:
    with pytest.raises(OSError) as written, open("/dev/full", "wb", buffering=0) as output:
        output.write(b"x")
    for error in (sqlite_full_error(tmp_path), written.value):
        assert is_disk_full(error)
        try:
            raise VidjilError("recording failed") from error
        except VidjilError as wrapper:
            assert is_disk_full(wrapper)


def test_other_errors_are_not_a_full_disk(tmp_path: Path) -> None:
    with pytest.raises(OSError) as missing:
        (tmp_path / "absent").read_bytes()
    connection = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.Error) as bad_sql:
        connection.execute("SELECT * FROM nowhere")
    assert not is_disk_full(missing.value) and not is_disk_full(bad_sql.value)
    assert not is_disk_full(ValueError("no room for doubt"))
