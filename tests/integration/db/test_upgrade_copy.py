"""The checked copy of the database, and the schema upgrade that makes one first: on the database
an older version really left (tests/data/previous-schema), through `create_app`'s start-up."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import local_client
from vidjil_local.api.app import create_app
from vidjil_local.db import (
    Database,
    connect,
    copy_database,
    forget_upgrade_copies,
    integrity_problems,
    migrate,
    schema_version,
    upgrade_database,
)
from vidjil_local.db.migrations import known_names
from vidjil_local.errors import DatabaseError
from vidjil_local.settings import resolve_settings

PREVIOUS_SCHEMA = Path(__file__).parents[2] / "data" / "previous-schema" / "schema3.sqlite"


def previous_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(PREVIOUS_SCHEMA, folder / "vidjil.sqlite"))


def test_a_live_database_is_copied_with_what_the_wal_holds(tmp_path: Path) -> None:
    db = connect(tmp_path / "live.sqlite")
    migrate(db)
    db.execute("INSERT INTO meta (key, value) VALUES ('written', 'before the copy')")
    assert (tmp_path / "live.sqlite-wal").stat().st_size > 0  # not checkpointed yet
    copy = copy_database(tmp_path / "live.sqlite", tmp_path / "copies" / "copy.sqlite")
    db.conn.close()
    assert integrity_problems(copy) == []
    check = sqlite3.connect(copy)
    assert check.execute("SELECT value FROM meta WHERE key = 'written'").fetchone() == (
        "before the copy",
    )
    check.close()
    assert not list((tmp_path / "copies").glob("*.partial"))


def test_a_damaged_database_gives_an_error_and_no_copy(tmp_path: Path) -> None:
    damaged = previous_database(tmp_path)
    content = bytearray(damaged.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    content[page_size * 3 : page_size * 6] = b"\xa5" * (page_size * 3)  # pages of tables
    damaged.write_bytes(bytes(content))
    target = tmp_path / "copies" / "copy.sqlite"
    with pytest.raises(DatabaseError):
        copy_database(damaged, target)
    assert not target.exists() and not list(target.parent.glob("*"))


def test_no_database_to_copy_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database to copy"):
        copy_database(tmp_path / "missing.sqlite", tmp_path / "copy.sqlite")


def test_upgrade_of_the_previous_schema_copies_first(tmp_path: Path) -> None:
    database = Database(previous_database(tmp_path / "data"))
    upgrade = upgrade_database(database, tmp_path / "data" / "backups")
    assert upgrade.applied == known_names()[3:]
    assert schema_version(database.db()) == len(known_names())
    assert database.db().execute("SELECT count(*) FROM configs").fetchone()[0] > 0
    database.close()
    assert upgrade.copy is not None and upgrade.copy.name.endswith("-schema3.sqlite")
    copy = connect(upgrade.copy)
    assert schema_version(copy) == 3
    assert [row[0] for row in copy.execute("SELECT email FROM users ORDER BY id")] == [
        "admin@lab.example",
        "bio@lab.example",
    ]
    copy.conn.close()


def test_a_new_or_current_database_gets_no_copy(tmp_path: Path) -> None:
    database = Database(tmp_path / "new.sqlite")
    assert upgrade_database(database, tmp_path / "backups").copy is None
    assert upgrade_database(database, tmp_path / "backups") == upgrade_database(
        database, tmp_path / "backups"
    )
    database.close()
    assert not (tmp_path / "backups").exists()


def test_a_newer_database_is_refused_before_any_copy(tmp_path: Path) -> None:
    database = Database(tmp_path / "v.sqlite")
    migrate(database.db())
    database.db().table("_sqlite_migrations").insert(
        {"migration_set": "vidjil_local", "name": "m999_from_the_future", "applied_at": "x"}
    )
    with pytest.raises(DatabaseError, match="newer vidjil-local"):
        upgrade_database(database, tmp_path / "backups")
    database.close()
    assert not (tmp_path / "backups").exists()


def test_forget_keeps_the_copy_of_this_start_only(tmp_path: Path) -> None:
    copies = tmp_path / "backups"
    copies.mkdir()
    older = copies / "before-upgrade-20250101T000000000000Z-schema2.sqlite"
    current = copies / "before-upgrade-20260101T000000000000Z-schema3.sqlite"
    unrelated = copies / "nightly.sqlite"
    for path in (older, current, unrelated):
        path.write_bytes(b"")
    assert forget_upgrade_copies(copies, keep=current) == [older]
    assert forget_upgrade_copies(copies, keep=None) == [current]
    assert unrelated.exists()


def test_the_app_start_upgrades_and_the_next_start_drops_the_copy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous_database(data)
    settings = resolve_settings(data, environ={}, overrides={})
    with local_client(create_app(settings, start_jobs=False)) as client:
        status = client.get("/api/auth/status").json()
        assert status["needs_setup"] is False
        response = client.post(
            "/api/auth/login",
            json={"email": "admin@lab.example", "password": "previous-release-1"},
            headers={"x-csrftoken": client.cookies.get("csrftoken") or ""},
        )
        assert response.status_code == 200, response.text
        patients = client.get("/api/sample-sets", params={"kind": "patient"}).json()
        assert "P-001" in str(patients)
    copies = list((data / "backups").glob("before-upgrade-*.sqlite"))
    assert len(copies) == 1 and integrity_problems(copies[0]) == []
    with local_client(create_app(settings, start_jobs=False)) as client:
        assert client.get("/api/health").status_code == 200
    assert not list((data / "backups").glob("before-upgrade-*.sqlite"))


def test_migrate_command_copies_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous_database(data)
    command = [sys.executable, "-m", "vidjil_local", "--data-dir", str(data), "migrate"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert "copied the database to" in done.stdout and "m004_seed_configs" in done.stdout
    assert len(list((data / "backups").glob("before-upgrade-*-schema3.sqlite"))) == 1


def test_importing_the_app_leaves_pandas_out() -> None:
    probe = "import sys, vidjil_local.cli, vidjil_local.api.app; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
