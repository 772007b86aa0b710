"""What a kill -9 leaves between two steps, put right by the next start (found by the kill
campaign's review, tests/integration/resilience): each test stops the server exactly there."""

from __future__ import annotations

import hashlib

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_sample, new_set
from vidjil_local.api.app import create_app
from vidjil_local.services.samples import uploads
from vidjil_local.settings import Settings

GOOD = (DATA / "good.fastq").read_bytes()


class Killed(Exception):
    """Where the server died."""


def restarted(settings: Settings) -> TestClient[Litestar]:
    return local_client(create_app(settings, start_jobs=True))


def test_an_upload_killed_between_its_check_and_its_record_resumes_after_a_restart(
    admin_api: Api, lab: Lab, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]

    def die(*args: object) -> None:
        raise Killed("after the rename to the final name, before the record")

    monkeypatch.setattr(uploads, "_record", die)
    cut = admin_api.put(f"/api/samples/{sample_id}/files/1", content=GOOD)
    assert cut.status_code == 500
    part = uploads.part_path(settings, sample_id, 1)
    final = settings.sequences_dir / f"{sample_id}_1.fastq"
    assert part.exists() and not final.exists(), "a failed record keeps the file as a part"
    part.rename(final)  # what a kill between the rename and the record leaves on disk
    monkeypatch.undo()
    with restarted(settings) as client:
        api = Api(client)
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
        path = f"/api/samples/{sample_id}/files/1"
        status = api.get(path + "/status").json()
        assert (status["received"], status["complete"]) == (len(GOOD), False), status
        resumed = api.put(path, params={"offset": len(GOOD)}, content=b"")
        assert resumed.status_code == 200, resumed.text
        assert resumed.json()["sha256"] == hashlib.sha256(GOOD).hexdigest()
        assert resumed.json()["sample_status"] == "ready"
    assert sorted(p.name for p in settings.sequences_dir.iterdir()) == [f"{sample_id}_1.fastq"]


def test_writes_cut_by_a_kill_and_unrecorded_fused_files_are_removed_at_start(
    admin_api: Api, lab: Lab, settings: Settings
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    config_id = admin_api.get("/api/configs").json()[0]["id"]
    fused = settings.results_dir / "fused" / str(set_id) / str(config_id)
    fused.mkdir(parents=True)
    recorded, replaced = fused / "new.vidjil", fused / "old.vidjil"
    folder = settings.results_dir / "7" / "12"
    folder.mkdir(parents=True)
    result = folder / "s.vidjil"
    half_written = folder / ".s.vidjil.k3j_2x.writing"
    for path in (recorded, replaced, result, half_written):
        path.write_text("{}")
    with lab.database.write() as db:  # the commit of record_fuse, before it removes old.vidjil
        db.table("fused_results").insert(
            {
                "sample_set_id": set_id,
                "config_id": config_id,
                "path": str(recorded.relative_to(settings.results_dir)),
                "result_ids": "[]",
                "updated_at": "2026-12-06T08:00:00Z",
            }
        )
    with restarted(settings):
        pass
    left = sorted(p for p in settings.results_dir.rglob("*") if p.is_file())
    assert left == sorted([recorded, result])


def test_a_file_under_its_final_name_that_a_sample_records_is_kept(
    admin_api: Api, lab: Lab, settings: Settings
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]
    assert admin_api.put(f"/api/samples/{sample_id}/files/1", content=GOOD).status_code == 200
    with restarted(settings) as client:
        api = Api(client)
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
        assert api.get(f"/api/samples/{sample_id}/files/1/status").json()["complete"]
    assert (settings.sequences_dir / f"{sample_id}_1.fastq").read_bytes() == GOOD
