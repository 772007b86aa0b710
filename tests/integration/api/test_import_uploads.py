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


def test_a_config_that_cannot_take_the_file_is_refused_at_launch(admin_api: Api) -> None:
    # Launched, these jobs failed on the file's first line ("not FASTA/FASTQ: starts with '{'").
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "x"}).json()["id"]
    reads_id, _ = upload(admin_api, set_id, "reads.fastq", b"@r1\nACGTACGT\n+\nIIIIIIII\n")
    vidjil_id, _ = upload(admin_api, set_id, "elsewhere.vidjil", VIDJIL.read_bytes())
    configs = admin_api.get("/api/configs").json()
    analysis = next(c for c in configs if c["program"] != "import")
    url = f"/api/sample-sets/{set_id}/analyses"
    for config_id, sample_id, message in [
        (import_config(admin_api), reads_id, "reads.fastq) holds reads"),
        (analysis["id"], vidjil_id, "elsewhere.vidjil) holds results made elsewhere"),
    ]:
        refused = admin_api.post(url, json={"config_id": config_id, "sample_ids": [sample_id]})
        assert refused.status_code == 400, refused.text
        assert message in refused.json()["error"]["message"]
    assert admin_api.get(f"/api/sample-sets/{set_id}/jobs").json() == []
    # launched for every sample of the set, a config takes those it can
    launched = admin_api.post(url, json={"config_id": import_config(admin_api)}).json()
    assert [job["sample_id"] for job in launched] == [vidjil_id]
    assert all(job["status"] == "completed" for job in wait_done(admin_api, set_id))
