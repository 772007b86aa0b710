"""The worker API through the worker's own client code (`jobs/worker_client.py`) against the real
app: a claimed analysis's input is fetched resuming a cut download and fetched again when the
bytes on disk are corrupted, a result file with a wrong checksum is refused, and a completed job
is recorded by the server once, its files moved into the results folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import Api
from tests.integration.test_lab_workflow import DATA
from vidjil_local.jobs.worker_client import LeaseGone, ServerClient
from vidjil_local.services import audit
from vidjil_local.services.workers import registry


def worker_client(app: Litestar, token: str) -> ServerClient:
    client = ServerClient("http://127.0.0.1", token, True, cores=2)
    client.http.close()
    http = local_client(app)  # not entered: the app's lifespan already runs in `admin_api`
    http.headers.update(client.http.headers)
    client.http = http
    return client


def test_inputs_resume_and_are_checked_and_a_result_is_stored_once(
    app: Litestar, admin_api: Api, tmp_path: Path
) -> None:
    database = app.state.context.database
    # the app's one worker is kept busy, so the analysis waits for the worker machine
    busy = admin_api.post("/api/admin/diagnostics", json={"seconds": 20})
    assert busy.status_code == 202, busy.text
    set_id = admin_api.post("/api/sample-sets", json={"kind": "run", "name": "r"}).json()["id"]
    sample = admin_api.post(
        f"/api/sample-sets/{set_id}/samples", json={"original_name": "dx.fastq.gz"}
    ).json()
    content = (DATA / "diagnosis.fastq.gz").read_bytes()
    assert admin_api.put(f"/api/samples/{sample['id']}/files/1", content=content).is_success
    configs = {config["name"]: config["id"] for config in admin_api.get("/api/configs").json()}
    (job,) = admin_api.post(
        f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["IGH"]}
    ).json()
    made = registry.create(database, audit.Actor(1, "admin@lab.example"), "bench")
    worker = worker_client(app, made.token)

    claimed = worker.claim(job["id"])
    assert claimed is not None and claimed["attempt"] == 1
    assert worker.claim(job["id"]) is None  # taken
    [entry] = claimed["inputs"]
    assert entry["size"] == len(content) and entry["name"] == "reads/1.fastq.gz"
    half = len(content) // 2
    ranged = worker.http.get(
        f"/api/worker/jobs/{job['id']}/inputs/0", params={"attempt": 1},
        headers={"range": f"bytes={half}-"},
    )  # fmt: skip
    assert ranged.status_code == 206 and ranged.content == content[half:]
    assert ranged.headers["content-range"] == f"bytes {half}-{len(content) - 1}/{len(content)}"
    folder = tmp_path / "job"
    part = folder / "reads" / "1.fastq.gz.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(content[:half])  # a download cut half-way: resumed from there
    assert worker.fetch(job["id"], 1, entry, folder).read_bytes() == content
    part.write_bytes(b"\0" * 1000)  # bytes damaged on disk: fetched again from the start
    assert worker.fetch(job["id"], 1, entry, folder).read_bytes() == content

    result = tmp_path / "dx.vidjil"
    result.write_text('{"vidjil_json_version": "2016b"}')
    bad = worker.http.put(
        f"/api/worker/jobs/{job['id']}/outputs/dx.vidjil",
        params={"attempt": 1, "sha256": "0" * 64}, content=result.read_bytes(),
    )  # fmt: skip
    assert bad.status_code == 400 and "another SHA-256" in bad.json()["error"]["message"]
    assert worker.progress(job["id"], 1, 0.5) is False
    worker.send_output(job["id"], 1, result)

    with pytest.raises(LeaseGone):
        worker.progress(job["id"], 2, 0.5)  # an attempt this worker does not hold
    summary = {"reads": 1, "segmented": 1, "per_locus": {"IGH": 1}, "clones": 1,
               "vidjil": "dx.vidjil", "airr": "dx.tsv", "program": "vidjil-local",
               "germline": "IGH"}  # fmt: skip
    worker.complete(job["id"], 1, summary)
    jobs = admin_api.get(f"/api/sample-sets/{set_id}/jobs").json()
    done = next(row for row in jobs if row["id"] == job["id"])
    assert done["status"] == "completed" and done["attempts"] == 1
    stored = next(Path(claimed["params"]["output_dir"]).glob("*.vidjil"))
    assert stored.read_text() == result.read_text()
    with pytest.raises(LeaseGone):
        worker.complete(job["id"], 1, summary)  # sent twice: refused, stored once
    assert registry.get(database, made.worker.id).jobs_done == 1
