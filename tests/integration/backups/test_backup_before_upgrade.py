"""The database copy made before a schema upgrade (db/upgrade.py) also becomes a backup in the
backup folder, so it outlives the next start; and it restores like any backup (or alone, as the
copy). On the database an older version really left (tests/data/previous-schema)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import local_client
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.cli import main
from vidjil_local.db import Database, schema_version
from vidjil_local.services.backups import BackupStore, runs
from vidjil_local.settings import resolve_settings, write_setting

PREVIOUS_SCHEMA = Path(__file__).parents[2] / "data" / "previous-schema" / "schema3.sqlite"
FIRST_THREE = ["m001_jobs", "m002_meta_and_login_tokens", "m003_lab"]


@pytest.fixture
def old_data_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(PREVIOUS_SCHEMA, data_dir / "vidjil.sqlite")
    write_setting(data_dir, "backup_dir", str(tmp_path / "share"), environ={})
    (data_dir / "results" / "1" / "2").mkdir(parents=True)
    (data_dir / "results" / "1" / "2" / "kept.vidjil").write_text("{}")
    return data_dir


def test_the_app_keeps_the_pre_upgrade_database_as_a_backup(old_data_dir: Path) -> None:
    settings = resolve_settings(old_data_dir, environ={}, overrides={"workers_pool": 1})
    with local_client(create_app(settings)):
        database = Database(settings.database_path)
        try:
            run = wait_until(
                lambda: runs.last(database, runs.RunStatus.COMPLETED), timeout=60,
                what="no backup of the pre-upgrade database",
            )  # fmt: skip
            assert schema_version(database.db()) > 3
        finally:
            database.close()
    assert run.trigger == "before_upgrade"
    manifest = BackupStore(settings.backup_dir or Path()).manifest(str(run.snapshot))
    assert manifest.database.migrations == FIRST_THREE
    assert [entry.path for entry in manifest.files] == ["results/1/2/kept.vidjil", "settings.toml"]


def test_migrate_backs_up_the_copy_and_restore_brings_the_old_schema_back(
    old_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(old_data_dir), "migrate"]) == 0
    printed = capsys.readouterr().out
    assert "copied the database to" in printed and "and backed it up as" in printed
    [copy] = (old_data_dir / "backups").glob("before-upgrade-*.sqlite")
    assert main(["--data-dir", str(old_data_dir), "restore", str(copy)]) == 0
    restored = sqlite3.connect(old_data_dir / "vidjil.sqlite")
    names = [row[0] for row in restored.execute("SELECT name FROM _sqlite_migrations")]
    restored.close()
    assert names == FIRST_THREE
    store = BackupStore(old_data_dir.parent / "share")
    triggers = [store.manifest(name).trigger for name in store.snapshot_ids()]
    assert triggers == ["before_upgrade", "before_restore"]
