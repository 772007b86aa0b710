"""The lab workflow end to end, as issue 4 asks: a real SQLite file, real jobs in their own
processes, two simulated FASTQ files (a diagnosis and a follow-up sharing a dominant IGH clone).

From the admin's first start to a patient with two uploaded samples, an IGH analysis of both, and
the fused time-course, where the dominant clone is found in both samples with the simulator's
read counts (`tests/data/lab/*.truth.tsv`, see the README there).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api.app import create_app
from vidjil_local.services import audit
from vidjil_local.settings import Settings

DATA = Path(__file__).parents[1] / "data" / "lab"
SAMPLES = (("diagnosis", "2026-01-05"), ("follow-up", "2026-03-02"))
TOLERANCE = 0.02  # reads a sequencing error moves out of a clone


def truth(name: str) -> dict[str, dict[str, str]]:
    with open(DATA / f"{name}.truth.tsv", newline="") as handle:
        return {row["junction_aa"]: row for row in csv.DictReader(handle, delimiter="\t")}


def create_patient_with_samples(api: Api) -> tuple[int, list[int]]:
    created = api.post(
        "/api/sample-sets",
        json={"kind": "patient", "first_name": "Ada", "last_name": "Lovelace", "id_label": "P-7"},
    )
    assert created.status_code == 201, created.text
    set_id: int = created.json()["id"]
    sample_ids = []
    for name, date in SAMPLES:
        body = {"original_name": f"{name}.fastq.gz", "sampling_date": date}
        sample = api.post(f"/api/sample-sets/{set_id}/samples", json=body)
        assert sample.status_code == 201, sample.text
        sample_id = sample.json()["id"]
        content = (DATA / f"{name}.fastq.gz").read_bytes()
        uploaded = api.put(f"/api/samples/{sample_id}/files/1", content=content)
        assert uploaded.status_code == 200, uploaded.text
        sample_ids.append(sample_id)
    return set_id, sample_ids


def wait_for_fused(api: Api, set_id: int, config_id: int, samples: int) -> dict[str, Any]:
    """The fused result once it holds `samples` samples (each analysis re-fuses the set)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
        failed = [job for job in jobs if job["status"] == "failed"]
        assert not failed, failed
        fused = api.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
        if fused.status_code == 200 and fused.json()["samples"]["number"] == samples:
            document: dict[str, Any] = fused.json()
            return document
        time.sleep(0.3)
    raise AssertionError(f"no fused result of {samples} samples: {jobs}")


def clone_by_junction(document: dict[str, Any], junction_aa: str) -> dict[str, Any]:
    found = [
        clone
        for clone in document["clones"]
        if clone.get("seg", {}).get("junction", {}).get("aa") == junction_aa
    ]
    assert len(found) == 1, f"{len(found)} clones with junction {junction_aa}"
    clone: dict[str, Any] = found[0]
    return clone


def test_from_first_start_to_a_fused_follow_up(settings: Settings) -> None:
    app = create_app(settings.with_values(workers_pool=2))
    with TestClient(app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        set_id, sample_ids = create_patient_with_samples(api)
        configs = {config["name"]: config["id"] for config in api.get("/api/configs").json()}
        launched = api.post(
            f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["IGH"]}
        )
        assert launched.status_code == 201, launched.text
        assert sorted(job["sample_id"] for job in launched.json()) == sample_ids

        fused = wait_for_fused(api, set_id, configs["IGH"], samples=2)

        assert fused["samples"]["original_names"] == ["diagnosis.fastq.gz", "follow-up.fastq.gz"]
        assert fused["samples"]["timestamp"] == [date for _, date in SAMPLES]
        diagnosis, follow_up = truth("diagnosis"), truth("follow-up")
        for junction_aa, expected in diagnosis.items():
            clone = clone_by_junction(fused, junction_aa)
            wanted = [int(expected["reads"]), int(follow_up[junction_aa]["reads"])]
            for got, want in zip(clone["reads"], wanted, strict=True):
                assert abs(got - want) <= TOLERANCE * want, (junction_aa, clone["reads"], wanted)
            assert clone["germline"] == "IGH"
            assert clone["seg"]["5"]["name"].split("*")[0] == expected["v_call"].split("*")[0]
        dominant = clone_by_junction(fused, "CAEPSKDRIAVAGTTALGFDPW")
        assert dominant["top"] == 1

        results = api.get(f"/api/sample-sets/{set_id}/result-files").json()
        assert len(results) == 2 and {r["sample_id"] for r in results} == set(sample_ids)
        first = next(r for r in results if r["sample_id"] == sample_ids[0])
        page = api.get(f"/api/results/{first['id']}/clones", params={"search": "CAEPSKDR"}).json()
        assert page["total"] == 1 and page["clones"][0]["reads"] == [dominant["reads"][0]]

        database = app.state.context.database
        actions = {entry["action"] for entry in audit.entries(database, limit=1000)}
        assert {"launch_analysis", "analysis_completed", "view_result"} <= actions
        assert database.db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
