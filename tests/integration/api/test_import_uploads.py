"""Results made elsewhere (.vidjil, AIRR TSV of vidjil-algo or IgBLAST, MiXCR clone tables) go
through the same upload, then the import config."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import Api
from tests.waiting import wait_until

VIDJIL = Path(__file__).parents[2] / "data" / "vidjil" / "one-sample.vidjil"
FOREIGN = Path(__file__).parents[2] / "data" / "foreign"
AIRR = (
    "sequence_id\tsequence\tlocus\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
    "c1\tACGTACGTAC\tIGH\tIGHV3-23*01\tIGHJ4*02\tCARDYW\t120\n"
    "c2\tTTGACCGTAA\tTRG\tTRGV9*01\tTRGJ1*02\tCALWEVF\t30\n"
)


def upload(api: Api, set_id: int, name: str, content: bytes) -> tuple[int, Any]:
    sample = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": name}).json()
    response = api.put(f"/api/samples/{sample['id']}/files/1", content=content)
    return int(sample["id"]), response


def import_config(api: Api) -> int:
    return int(next(c["id"] for c in api.get("/api/configs").json() if c["program"] == "import"))


def wait_done(api: Api, set_id: int) -> list[dict[str, Any]]:
    def finished() -> list[dict[str, Any]] | None:
        jobs: list[dict[str, Any]] = api.get(f"/api/sample-sets/{set_id}/jobs").json()
        done = jobs and all(job["status"] in {"completed", "failed"} for job in jobs)
        return jobs if done else None

    return wait_until(finished, timeout=60, interval=0.2, what="jobs did not finish")


@pytest.mark.parametrize(
    ("name", "content", "clones"),
    [
        ("elsewhere.vidjil", VIDJIL.read_bytes(), 6),
        ("elsewhere.tsv", AIRR.encode(), 2),
        ("elsewhere.tsv.gz", gzip.compress(AIRR.encode()), 2),
        ("igblast.tsv", (FOREIGN / "igblast.airr.tsv").read_bytes(), 4),
        ("clones.txt", (FOREIGN / "mixcr.clones.tsv").read_bytes(), 5),
        ("clones.txt.gz", gzip.compress((FOREIGN / "mixcr4.clones.tsv").read_bytes()), 5),
    ],
)
def test_a_result_made_elsewhere_is_uploaded_then_imported(
    admin_api: Api, name: str, content: bytes, clones: int
) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "x"}).json()["id"]
    sample_id, uploaded = upload(admin_api, set_id, name, content)
    assert uploaded.status_code == 200, uploaded.text
    assert admin_api.get(f"/api/samples/{sample_id}").json()["status"] == "ready"
    launch = {"config_id": import_config(admin_api), "sample_ids": [sample_id]}
    assert admin_api.post(f"/api/sample-sets/{set_id}/analyses", json=launch).status_code == 201
    jobs = wait_done(admin_api, set_id)
    assert all(job["status"] == "completed" for job in jobs), jobs
    results = admin_api.get(f"/api/sample-sets/{set_id}/result-files").json()
    listed = admin_api.get(f"/api/results/{results[0]['id']}/clones").json()
    assert listed["total"] == clones


def test_a_broken_airr_file_is_refused_with_its_line(admin_api: Api) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "x"}).json()["id"]
    broken = AIRR + "c3\tACGT\tIGH\tIGHV1-2*02\tIGHJ4*02\tCAR\tnot-a-number\n"
    sample_id, response = upload(admin_api, set_id, "broken.tsv", broken.encode())
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "broken.tsv" in message and ":4" in message
    assert admin_api.get(f"/api/samples/{sample_id}").json()["status"] == "invalid"


def test_text_that_is_neither_reads_nor_a_result_keeps_the_reads_error(admin_api: Api) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "x"}).json()["id"]
    _, response = upload(admin_api, set_id, "notes.txt", b"hello\tworld\n")
    assert response.status_code == 422
    assert "FASTA/FASTQ" in response.json()["error"]["message"]
