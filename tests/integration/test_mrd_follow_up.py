"""Issue 13's MRD case through the server: a follow-up of 200,000 IGH reads holding the
diagnosis's leukemic clone in 3 reads (1.5e-5), both analysed with the seeded IGH config (top
100, min_reads 5), shows that clone with its 3 reads in the fused time course.

The samples are simulated here (`tests/repertoire.py`): random IGH rearrangements of the bundled
germline set, reads with the sequencing errors of the shared simulator (0.1% substitutions, both
strands). The leukemic clone's 3 follow-up reads are error-free, so its window is intact in all
three (an error in its window would make that read another window, as in a real sample).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from tests.repertoire import background, random_clone, reads_of, write_fastq
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.germline import load_germline
from vidjil_local.settings import Settings

DIAGNOSIS_READS = 2000
FOLLOW_UP_READS = 200_000


def simulated_patient(folder: Path) -> tuple[Path, Path, str]:
    """A diagnosis (2,000 leukemic reads in 5,000) and a 200,000-read follow-up (3 of them)."""
    igh = load_germline("human:IGH").germline_set
    rng = random.Random(2026)
    leukemic = random_clone(igh, "IGH", rng)
    diagnosis = reads_of(leukemic, DIAGNOSIS_READS, rng) + background(igh, "IGH", 3000, rng, 20)
    follow_up = reads_of(leukemic, 3, rng, error_rate=0.0)
    follow_up += background(igh, "IGH", FOLLOW_UP_READS - 3, rng, 100)
    write_fastq(diagnosis, folder / "diagnosis.fastq.gz", rng)
    write_fastq(follow_up, folder / "follow-up.fastq.gz", rng)
    return folder / "diagnosis.fastq.gz", folder / "follow-up.fastq.gz", leukemic.sequence


def upload(api: Api, set_id: int, path: Path, date: str) -> int:
    body = {"original_name": path.name, "sampling_date": date}
    sample = api.post(f"/api/sample-sets/{set_id}/samples", json=body)
    assert sample.status_code == 201, sample.text
    sample_id: int = sample.json()["id"]
    uploaded = api.put(f"/api/samples/{sample_id}/files/1", content=path.read_bytes())
    assert uploaded.status_code == 200, uploaded.text
    return sample_id


@pytest.mark.slow
@pytest.mark.timeout(360)  # a 200,000-read analysis: seconds compiled, minutes interpreted
def test_a_3_read_leukemic_clone_in_a_200k_follow_up_is_counted(
    settings: Settings, tmp_path: Path
) -> None:
    diagnosis, follow_up, leukemic = simulated_patient(tmp_path)
    with local_client(create_app(settings.with_values(workers_pool=2))) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        patient = {"kind": "patient", "first_name": "Ada", "last_name": "L", "id_label": "P-13"}
        set_id = api.post("/api/sample-sets", json=patient).json()["id"]
        upload(api, set_id, diagnosis, "2026-01-05")
        upload(api, set_id, follow_up, "2026-04-02")
        configs = {config["name"]: config for config in api.get("/api/configs").json()}
        igh = configs["IGH"]
        assert (igh["options"]["top"], igh["options"]["min_reads"]) == (100, 5)
        launched = api.post(f"/api/sample-sets/{set_id}/analyses", json={"config_id": igh["id"]})
        assert launched.status_code == 201, launched.text

        fused = wait_until(
            lambda: fused_result(api, set_id, igh["id"]), timeout=300, what="the fused result"
        )

    assert fused["reads"]["total"] == [DIAGNOSIS_READS + 3000, FOLLOW_UP_READS]
    clone = top_clone_of(fused, leukemic)
    assert clone["reads"][0] >= 0.98 * DIAGNOSIS_READS
    assert clone["reads"][1] == 3  # 1.5e-5 of the follow-up, under its top 100 and min_reads 5
    assert clone["_below_threshold"] == [False, True]
    assert fused["samples"]["_window_counts"] == [True, True]
    limit = fused["samples"]["_limit_of_detection"][1]
    assert limit["reads"] == 3.0  # 200,000 reads of 100,000 cells: one cell is 2 reads
    assert clone["_detection"] == ["detected", "detected"]


def fused_result(api: Api, set_id: int, config_id: int) -> dict[str, Any] | None:
    """The set's fused result once it holds both samples (each analysis re-fuses the set)."""
    jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
    assert not [job for job in jobs if job["status"] == "failed"], jobs
    answer = api.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
    if answer.status_code != 200 or answer.json()["samples"]["number"] != 2:
        return None
    document: dict[str, Any] = answer.json()
    return document


def top_clone_of(fused: dict[str, Any], sequence: str) -> dict[str, Any]:
    found = [clone for clone in fused["clones"] if clone["id"] in sequence]
    assert len(found) == 1, [clone["id"] for clone in found]
    clone: dict[str, Any] = found[0]
    return clone
