"""A paired-end sample analysed by the server: both files go to the job, the mates are merged
(as the config's options say), and the merge statistics reach the result and the fused file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_analyses import ALL_RIGHTS, launch, new_set, wait_until_finished
from tests.waiting import wait_until

GOLDEN = Path(__file__).parents[2] / "data" / "golden"


def paired_sample(api: Api, set_id: int) -> int:
    names = {"original_name": "S1_R1.fastq", "original_name2": "S1_R2.fastq"}
    response = api.post(f"/api/sample-sets/{set_id}/samples", json=names)
    assert response.status_code == 201, response.text
    sample_id: int = response.json()["id"]
    for number in (1, 2):
        content = (GOLDEN / f"paired-igh_R{number}.fastq").read_bytes()
        uploaded = api.put(f"/api/samples/{sample_id}/files/{number}", content=content)
        assert uploaded.status_code == 200, uploaded.text
    return sample_id


def fused(api: Api, set_id: int, config_id: int) -> dict[str, Any]:
    def answer() -> dict[str, Any] | None:
        response = api.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
        return response.json() if response.status_code == 200 else None

    return wait_until(answer, timeout=60, interval=0.3, what="no fused result")


def test_a_paired_sample_is_merged_then_analysed(admin_api: Api, lab: Lab) -> None:
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    sample_id = paired_sample(admin_api, set_id)
    assert launch(admin_api, set_id).status_code == 201
    (job,) = [job for job in wait_until_finished(admin_api, set_id) if job["kind"] == "analysis"]
    assert job["status"] == "completed", job
    assert job["result"]["reads"] == 277 + 23  # merged pairs, and R1 of the unmerged ones
    (result,) = admin_api.get(f"/api/sample-sets/{set_id}/result-files").json()
    document = admin_api.get(f"/api/results/{result['id']}/vidjil").json()
    merging = document["samples"]["_merging"][0]
    assert (merging["pairs"], merging["merged"], merging["unmerged"]) == (
        300,
        277,
        {"no_overlap": 23},
    )
    assert fused(admin_api, set_id, 2)["samples"]["_merging"] == [merging]
    assert sample_id == result["sample_id"]


def test_config_options_decide_what_unmerged_pairs_give(admin_api: Api, lab: Lab) -> None:
    options = {"unmerged": "drop", "min_overlap": 20, "max_mismatch_density": 0.1}
    config = {"name": "IGH paired, merged reads only", "germline": "human:IGH", "options": options}
    created = admin_api.post("/api/configs", json=config)
    assert created.status_code == 201, created.text
    bad = admin_api.post(
        "/api/configs", json={**config, "name": "x", "options": {"unmerged": "r2"}}
    )
    assert bad.status_code == 400 and "must be one of r1, both, drop" in bad.text
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    paired_sample(admin_api, set_id)
    assert launch(admin_api, set_id, config_id=created.json()["id"]).status_code == 201
    (job,) = [job for job in wait_until_finished(admin_api, set_id) if job["kind"] == "analysis"]
    assert job["status"] == "completed", job
    (result,) = admin_api.get(f"/api/sample-sets/{set_id}/result-files").json()
    merging = admin_api.get(f"/api/results/{result['id']}/vidjil").json()["samples"]["_merging"][0]
    assert merging["unmerged_analysed"] == "drop" and merging["unmerged_reads"] == 0
    assert min(int(length) for length in merging["overlap_lengths"]) >= 20
    assert job["result"]["reads"] == merging["merged"] < 277
