"""A data folder holding what a lab's does (a user, a patient with two samples, their results, a
fused result, a saved analysis, an imported germline set, settings, uploaded sequences), written
straight to a real SQLite file and real files: the backups are tested on it without running
analyses (tests/integration/backups/test_backup_while_analysing.py runs real ones)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vidjil_local.db import Database, migrate
from vidjil_local.db.clock import now
from vidjil_local.services.accounts import members
from vidjil_local.settings import Settings, resolve_settings, write_setting

PASSWORD = "correct horse battery"


@dataclass
class LabFolder:
    settings: Settings
    database: Database
    backups: Path

    def tree(self, *folders: str) -> dict[str, str]:
        """Relative path -> SHA-256 of every file under the named folders of the data folder."""
        found = {}
        for folder in folders:
            root = self.settings.data_dir / folder
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    found[path.relative_to(self.settings.data_dir).as_posix()] = digest
        return found

    def rows(self, table: str) -> list[dict[str, object]]:
        return list(self.database.db().query(f"SELECT * FROM {table} ORDER BY rowid"))


def fill(settings: Settings, database: Database) -> None:
    migrate(database.db())
    with database.write() as db:
        user_id = members.create_user(db, "ada@lab.example", PASSWORD)
        set_id = int(db.table("sample_sets").insert(
            {"kind": "patient", "first_name": "Ada", "last_name": "L", "created_by": user_id,
             "created_at": now(), "updated_at": now()}
        ).last_pk or 0)  # fmt: skip
        config_id = int(db.execute("SELECT id FROM configs WHERE name = 'IGH'").fetchone()[0])
        result_ids = []
        for number in (1, 2):
            sample_id = _sample(db, settings, set_id, number)
            result_ids.append(_result(db, settings, sample_id, config_id, number))
        fused = f"fused/{set_id}/{config_id}/0123abcd.vidjil"
        _write(settings.results_dir / fused, b'{"fused": true}' * 1000)
        db.table("fused_results").insert({
            "sample_set_id": set_id, "config_id": config_id, "path": fused,
            "result_ids": json.dumps(result_ids), "updated_at": now(),
        })  # fmt: skip
        db.table("analyses").insert({
            "sample_set_id": set_id, "saved_by": user_id, "saved_at": now(),
            "content": json.dumps({"clones": [{"id": "AAA", "tag": 0}]}),
        })  # fmt: skip
    _write(settings.germlines_dir / "imgt" / "imgt.g", b'{"systems": {}}')
    _write(settings.germlines_dir / "imgt" / "IGHV.fa", os.urandom(50_000))


def _sample(db: object, settings: Settings, set_id: int, number: int) -> int:
    stored = f"{number}_1.fastq.gz"
    content = os.urandom(200_000)
    _write(settings.sequences_dir / stored, content)
    table = db.table("samples")  # type: ignore[attr-defined]
    sample_id = int(table.insert({
        "original_name": f"sample{number}.fastq.gz", "stored_name": stored, "size": len(content),
        "status": "ready", "created_at": now(),
    }).last_pk or 0)  # fmt: skip
    db.table("set_samples").insert({"sample_set_id": set_id, "sample_id": sample_id})  # type: ignore[attr-defined]
    return sample_id


def _result(db: object, settings: Settings, sample_id: int, config_id: int, number: int) -> int:
    folder = f"{sample_id}/{100 + number}"
    _write(settings.results_dir / folder / f"s{number}.vidjil", os.urandom(300_000))
    _write(settings.results_dir / folder / f"s{number}.tsv", os.urandom(100_000))
    summary = {"vidjil": f"s{number}.vidjil", "airr": f"s{number}.tsv", "reads": 1000 * number}
    return int(db.table("results").insert({  # type: ignore[attr-defined]
        "sample_id": sample_id, "config_id": config_id, "created_at": now(), "folder": folder,
        "summary": json.dumps(summary),
    }).last_pk or 0)  # fmt: skip


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.fixture
def lab_folder(tmp_path: Path) -> Iterator[LabFolder]:
    data_dir = tmp_path / "data"
    backups = tmp_path / "backups"
    write_setting(data_dir, "max_wrong_passwords", "3", environ={})
    write_setting(data_dir, "backup_dir", str(backups), environ={})
    settings = resolve_settings(data_dir, environ={})
    database = Database(settings.database_path)
    fill(settings, database)
    yield LabFolder(settings, database, backups)
    database.close()
