"""m013 (a pair's R1's own name) on a data folder the version before left: its samples, a pair
half uploaded and a single file, keep working after the app's start upgraded it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import local_client
from vidjil_local.api.app import create_app
from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.db.migrations import known_names, migrations, schema_version
from vidjil_local.services.accounts import logins
from vidjil_local.settings import resolve_settings

UPLOADS = Path(__file__).parents[2] / "data" / "uploads"
EMAIL, PASSWORD = "admin@lab.example", "previous-release-1"


def folder_before_m013(data: Path) -> tuple[int, int]:
    """A data folder at the schema before m013 with the rows its code wrote: a pair named after
    its R1 (its R2 still to send) and a single file, received. Their ids."""
    settings = resolve_settings(data, environ={}, overrides={})
    database = Database(settings.database_path)
    migrations.apply(database.db(), stop_before="m013_sample_r1_name")
    assert "original_name1" not in database.db()["samples"].columns_dict
    logins.create_first_admin(database, EMAIL, PASSWORD)
    settings.sequences_dir.mkdir(parents=True, exist_ok=True)
    moment = now()
    with database.write() as db:
        set_id = db.execute(
            "INSERT INTO sample_sets (kind, id_label, created_at, updated_at) "
            "VALUES ('patient', 'P-7', ?, ?)",
            [moment, moment],
        ).lastrowid
        rows = [
            ("x_R1.fastq", "1_1.fastq", "x_R2.fastq", "uploading", "r1.fastq"),
            ("day0.fastq", "2_1.fastq", None, "ready", "good.fastq"),
        ]
        ids = []
        for position, (name, stored, name2, status, source) in enumerate(rows, start=1):
            content = (UPLOADS / source).read_bytes()
            (settings.sequences_dir / stored).write_bytes(content)
            sample_id = db.execute(
                "INSERT INTO samples (original_name, stored_name, original_name2, size, status, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [name, stored, name2, len(content), status, moment],
            ).lastrowid
            db.execute(
                "INSERT INTO set_samples (sample_set_id, sample_id, position) VALUES (?, ?, ?)",
                [set_id, sample_id, position],
            )
            ids.append(int(sample_id or 0))
    database.close()
    return ids[0], ids[1]


def test_samples_made_before_the_r1_name_keep_working(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pair_id, single_id = folder_before_m013(data)
    settings = resolve_settings(data, environ={}, overrides={})
    with local_client(create_app(settings, start_jobs=False)) as client:
        client.get("/api/auth/status")
        csrf = {"x-csrftoken": client.cookies.get("csrftoken") or ""}
        login = client.post(
            "/api/auth/login", json={"email": EMAIL, "password": PASSWORD}, headers=csrf
        )
        assert login.status_code == 200, login.text
        listed = client.get("/api/sample-sets/1/samples").json()
        assert [(s["original_name"], s["original_name1"], s["original_name2"]) for s in listed] == [
            ("x_R1.fastq", "x_R1.fastq", "x_R2.fastq"),  # an old pair: its name was its R1's
            ("day0.fastq", "day0.fastq", None),
        ]
        for sample_id, name, source in (
            (pair_id, "x_R1.fastq", "r1.fastq"),
            (single_id, "day0.fastq", "good.fastq"),
        ):
            download = client.get(f"/api/samples/{sample_id}/files/1")
            assert download.content == (UPLOADS / source).read_bytes()
            assert f'filename="{name}"' in download.headers["content-disposition"]
        r2 = (UPLOADS / "r2.fastq").read_bytes()
        sent = client.put(f"/api/samples/{pair_id}/files/2", content=r2, headers=csrf)
        assert sent.status_code == 200, sent.text  # the old pair's upload goes on
        assert client.get(f"/api/samples/{pair_id}").json()["status"] == "ready"
    database = Database(settings.database_path)
    assert schema_version(database.db()) == len(known_names())
    database.close()
