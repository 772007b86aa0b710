"""The tools of a set's results, on real analyses: the QC table and its TSV, the analysis log, the
zip of a whole set, the on-the-fly comparison of samples of two sets, and "my jobs".

Patient A holds the simulated diagnosis and follow-up (which share their dominant clones), patient
B holds a copy of the follow-up: for A, the clones found in B's sample are the contamination hint;
A's own follow-up, sharing the same clones, is not one.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.settings import resolve_settings

pytestmark = pytest.mark.slow

LAB = Path(__file__).parents[2] / "data" / "lab"


def _set(api: Api, last_name: str, group_id: int) -> int:
    body = {"kind": "patient", "first_name": "Ada", "last_name": last_name, "group_id": group_id}
    response = api.post("/api/sample-sets", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _sample(api: Api, set_id: int, name: str, date: str, source: str) -> int:
    body = {"original_name": name, "sampling_date": date}
    sample = api.post(f"/api/sample-sets/{set_id}/samples", json=body).json()
    uploaded = api.put(f"/api/samples/{sample['id']}/files/1", content=(LAB / source).read_bytes())
    assert uploaded.status_code == 200, uploaded.text
    return int(sample["id"])


def _analysed(api: Api, set_id: int, config_id: int, samples: int) -> None:
    launched = api.post(f"/api/sample-sets/{set_id}/analyses", json={"config_id": config_id})
    assert launched.status_code == 201, launched.text

    def fused() -> bool:
        jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
        assert all(job["status"] != "failed" for job in jobs), jobs
        answer = api.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
        return answer.status_code == 200 and answer.json()["samples"]["number"] == samples

    wait_until(fused, timeout=200, interval=0.3, what=f"set {set_id} was not analysed")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings = resolve_settings(
        tmp_path_factory.mktemp("set-tools"), environ={}, overrides={"workers_pool": 1}
    )
    app = create_app(settings)
    with local_client(app) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(app)
        haematology = lab.group("haematology", ("read", "create", "upload", "run", "save", "anon"))
        other_lab = lab.group("other lab", ("read", "create", "upload", "run", "save", "admin"))
        user = lab.user("tech@lab.example", haematology)
        stranger = lab.user("stranger@lab.example", other_lab)
        config_id = next(c["id"] for c in user.get("/api/configs").json() if c["name"] == "IGH")
        patient_a = _set(user, "Lovelace", haematology)
        diagnosis = _sample(
            user, patient_a, "diagnosis.fastq.gz", "2026-01-05", "diagnosis.fastq.gz"
        )
        follow_up = _sample(
            user, patient_a, "follow-up.fastq.gz", "2026-03-02", "follow-up.fastq.gz"
        )
        patient_b = _set(user, "Hopper", haematology)
        other = _sample(user, patient_b, "patient-b.fastq.gz", "2026-02-01", "follow-up.fastq.gz")
        _analysed(user, patient_a, config_id, 2)
        _analysed(user, patient_b, config_id, 1)
        results = {
            row["sample_id"]: row["id"]
            for set_id in (patient_a, patient_b)
            for row in user.get(f"/api/sample-sets/{set_id}/result-files").json()
        }
        yield {
            "admin": admin,
            "user": user,
            "stranger": stranger,
            "config_id": config_id,
            "patient_a": patient_a,
            "patient_b": patient_b,
            "samples": {"diagnosis": diagnosis, "follow_up": follow_up, "other": other},
            "results": results,
            "settings": settings,
        }


def test_the_qc_table_of_a_set_of_two_samples(world: dict[str, Any]) -> None:
    user: Api = world["user"]
    samples = world["samples"]
    answer = user.get(
        f"/api/sample-sets/{world['patient_a']}/qc", params={"config_id": world["config_id"]}
    )
    assert answer.status_code == 200, answer.text
    table = answer.json()
    assert [config["name"] for config in table["configs"]] == ["IGH"]
    rows = {row["sample_id"]: row for row in table["rows"]}
    assert list(rows) == [samples["diagnosis"], samples["follow_up"]]
    diagnosis = rows[samples["diagnosis"]]
    assert diagnosis["total_reads"] == 3000 and diagnosis["config_name"] == "IGH"
    assert 0.9 < diagnosis["analysed_share"] <= 1
    assert set(diagnosis["reads_per_locus"]) == {"IGH"}
    # the simulated diagnosis: one clone of 20% and one of 5% (the simulator's truth)
    assert diagnosis["major_clones_per_locus"] == {"IGH": 2}
    assert 0.19 < diagnosis["main_clone"]["share"] < 0.21
    truth = max(
        csv.DictReader((LAB / "diagnosis.truth.tsv").open(), delimiter="\t"),
        key=lambda row: int(row["reads"]),
    )
    assert truth["junction_aa"] in diagnosis["main_clone"]["label"]
    lengths = diagnosis["read_lengths"]
    assert lengths["reads"] == 3000 and lengths["complete"] and sum(lengths["counts"]) == 3000
    assert lengths["bin_starts"] == sorted(lengths["bin_starts"])
    assert 100 < diagnosis["mean_read_length"] < 400
    # the follow-up of the same patient shares the clones, but only patient B's sample counts
    shared = diagnosis["shared"]
    assert shared["clones"] >= 2
    assert [other["sample_id"] for other in shared["samples"]] == [samples["other"]]
    assert shared["samples"][0]["sample_set_id"] == world["patient_b"]
    assert rows[samples["follow_up"]]["major_clones_per_locus"] == {"IGH": 1}


def test_the_qc_table_as_tsv(world: dict[str, Any]) -> None:
    user: Api = world["user"]
    answer = user.get(
        f"/api/sample-sets/{world['patient_a']}/qc.tsv", params={"config_id": world["config_id"]}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/tab-separated-values")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text), delimiter="\t"))
    assert [row["sample"] for row in rows] == ["diagnosis.fastq.gz", "follow-up.fastq.gz"]
    assert rows[0]["reads"] == "3000" and rows[0]["config"] == "IGH"
    assert rows[0]["clones >= 5% per locus"] == "IGH:2"
    assert 19 < float(rows[0]["main clone %"]) < 21
    assert "patient-b.fastq.gz" in rows[0]["other samples sharing clones"]
    assert (
        sum(int(part.split(":")[1]) for part in rows[0]["read lengths (reads per 10 bp)"].split())
        == 3000
    )


def test_the_qc_table_without_config_lists_every_config(world: dict[str, Any]) -> None:
    table = world["user"].get(f"/api/sample-sets/{world['patient_b']}/qc").json()
    assert table["config_id"] is None
    assert [(row["sample_name"], row["config_name"]) for row in table["rows"]] == [
        ("patient-b.fastq.gz", "IGH")
    ]


def test_the_analysis_log(world: dict[str, Any]) -> None:
    result_id = world["results"][world["samples"]["diagnosis"]]
    answer = world["user"].get(f"/api/results/{result_id}/log")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == 'attachment; filename="diagnosis.log"'
    text = answer.text
    assert "sample: diagnosis.fastq.gz" in text and "config: IGH" in text
    assert "completed, 1 attempt(s)" in text and "reads: 3000, analysed" in text
    assert "UNSEG" in text or "segmented" in text


def test_the_zip_of_a_whole_set(world: dict[str, Any]) -> None:
    answer = world["user"].get(f"/api/sample-sets/{world['patient_a']}/archive.zip")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert {
        "metadata.json",
        "fused/IGH.vidjil",
        "samples/01-diagnosis.fastq.gz/IGH/diagnosis.vidjil",
        "samples/01-diagnosis.fastq.gz/IGH/diagnosis.tsv",
        "samples/01-diagnosis.fastq.gz/IGH/diagnosis.log",
        "samples/02-follow-up.fastq.gz/IGH/follow-up.vidjil",
    } <= names
    assert not any("/reads/" in name for name in names)
    metadata = json.loads(archive.read("metadata.json"))
    assert metadata["sample_set"]["last_name"] == "Lovelace"  # the user has the anon right
    assert [s["original_name"] for s in metadata["samples"]] == [
        "diagnosis.fastq.gz",
        "follow-up.fastq.gz",
    ]
    assert metadata["samples"][0]["results"][0]["config"] == "IGH"
    fused = json.loads(archive.read("fused/IGH.vidjil"))
    assert fused["samples"]["number"] == 2
    with_reads = world["user"].get(
        f"/api/sample-sets/{world['patient_a']}/archive.zip", params={"reads": "true"}
    )
    reads = zipfile.ZipFile(io.BytesIO(with_reads.content))
    original = (LAB / "diagnosis.fastq.gz").read_bytes()
    assert reads.read("samples/01-diagnosis.fastq.gz/reads/diagnosis.fastq.gz") == original


def test_two_samples_of_different_sets_compared_on_one_graph(world: dict[str, Any]) -> None:
    results = world["results"]
    chosen = [results[world["samples"]["diagnosis"]], results[world["samples"]["other"]]]
    answer = world["user"].get(
        "/api/compare.vidjil", params={"results": ",".join(map(str, chosen))}
    )
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["samples"]["number"] == 2
    assert document["samples"]["names"] == [
        "Ada Lovelace · diagnosis.fastq.gz",
        "Ada Hopper · patient-b.fastq.gz",
    ]
    assert document["compare"] == {"result_ids": chosen}
    assert document["config"]["name"] == "IGH"
    # the dominant clone of the diagnosis is found in patient B's sample: one clone, two counts
    dominant = max(document["clones"], key=lambda clone: clone["reads"][0])
    assert dominant["reads"][0] > 500 and dominant["reads"][1] > 0
    # nothing was stored: no new fused result, no new set
    assert (
        len(world["admin"].get("/api/sample-sets", params={"kind": "patient"}).json()["items"]) == 2
    )


def test_comparisons_are_checked(world: dict[str, Any]) -> None:
    results = world["results"]
    one = results[world["samples"]["diagnosis"]]
    user: Api = world["user"]
    for bad in ("", ",", f"{one},x", ",".join(str(i) for i in range(1, 23))):
        answer = user.get("/api/compare.vidjil", params={"results": bad})
        assert answer.status_code == 400, (bad, answer.text)
    stranger: Api = world["stranger"]
    refused = stranger.get("/api/compare.vidjil", params={"results": f"{one},{one + 1}"})
    assert refused.status_code == 404 and "clones" not in refused.text


def test_my_jobs(world: dict[str, Any]) -> None:
    mine = world["user"].get("/api/jobs").json()
    analyses = [job for job in mine if job["kind"] == "analysis"]
    assert len(analyses) == 3 and all(job["status"] == "completed" for job in analyses)
    assert {job["sample_set_name"] for job in analyses} == {"Ada Lovelace", "Ada Hopper"}
    assert {job["sample_name"] for job in analyses} == {
        "diagnosis.fastq.gz",
        "follow-up.fastq.gz",
        "patient-b.fastq.gz",
    }
    assert world["user"].get("/api/jobs", params={"active": "true"}).json() == []
    assert world["stranger"].get("/api/jobs").json() == []


def test_a_gzipped_reads_file_downloads_as_stored(world: dict[str, Any]) -> None:
    answer = world["user"].get(f"/api/samples/{world['samples']['diagnosis']}/files/1")
    assert answer.status_code == 200
    # no "content-encoding: gzip": a browser would save the file uncompressed under its .gz name
    assert "content-encoding" not in answer.headers
    assert answer.content == (LAB / "diagnosis.fastq.gz").read_bytes()
