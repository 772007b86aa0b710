"""Launching analyses: which samples, one job each, the duplicate guard, cancel, re-run, rights,
readable failures; real jobs in their own processes on small FASTQ files."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from tests.waiting import wait_until
from vidjil_local.db import Database, jobs
from vidjil_local.db.jobs import JobStatus
from vidjil_local.services import audit, disk
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.analyses.record import record_analysis
from vidjil_local.services.results.fuse_params import FuseParams
from vidjil_local.services.results.fused import queue_fuse, record_fuse
from vidjil_local.settings import Settings

DATA = Path(__file__).parents[2] / "data" / "lab"
ALL_RIGHTS = ("read", "create", "upload", "run", "save", "admin")


@pytest.fixture(scope="module")
def small_fastq() -> bytes:
    """The first 300 reads of the simulated diagnosis: a job of about a second."""
    lines = gzip.decompress((DATA / "diagnosis.fastq.gz").read_bytes()).splitlines(keepends=True)
    return b"".join(lines[: 4 * 300])


def new_set(api: Api, group_id: int) -> int:
    response = api.post(
        "/api/sample-sets", json={"kind": "patient", "id_label": "P-1", "group_id": group_id}
    )
    assert response.status_code == 201, response.text
    set_id: int = response.json()["id"]
    return set_id


def new_sample(api: Api, set_id: int, content: bytes | None, name: str = "s.fastq") -> int:
    response = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": name})
    assert response.status_code == 201, response.text
    sample_id: int = response.json()["id"]
    if content is not None:
        uploaded = api.put(f"/api/samples/{sample_id}/files/1", content=content)
        assert uploaded.status_code == 200, uploaded.text
    return sample_id


def launch(api: Api, set_id: int, config_id: int = 2, **body: Any) -> Any:
    return api.post(f"/api/sample-sets/{set_id}/analyses", json={"config_id": config_id, **body})


def wait_until_finished(api: Api, set_id: int, timeout: float = 60) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []

    def finished() -> list[dict[str, Any]] | None:
        nonlocal jobs
        jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
        done = all(job["status"] in ("completed", "failed", "cancelled") for job in jobs)
        return jobs if done else None

    return wait_until(finished, timeout=timeout, interval=0.2, what=lambda: f"running: {jobs}")


def test_a_launch_queues_one_job_per_ready_sample_not_yet_analysed(
    admin_api: Api, lab: Lab, small_fastq: bytes
) -> None:
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    first, second = (
        new_sample(admin_api, set_id, small_fastq),
        new_sample(admin_api, set_id, small_fastq),
    )
    new_sample(admin_api, set_id, None)  # still waiting for its file: not analysed
    launched = launch(admin_api, set_id)
    assert launched.status_code == 201, launched.text
    jobs = launched.json()
    assert [(j["kind"], j["sample_id"], j["config_id"]) for j in jobs] == [
        ("analysis", first, 2),
        ("analysis", second, 2),
    ]
    duplicate = launch(admin_api, set_id, sample_ids=[first])
    assert duplicate.status_code == 409 and "already has a queued or running job" in duplicate.text
    finished = wait_until_finished(admin_api, set_id)
    analyses = [job for job in finished if job["kind"] == "analysis"]
    assert {job["status"] for job in analyses} == {"completed"}
    for job in analyses:
        assert job["progress"] == 1.0 and job["seconds"] is not None and job["seconds"] > 0
        assert job["result"]["reads"] == 300 and job["result"]["clones"] > 0
        assert job["sample_name"] == "s.fastq" and job["config_name"] == "IGH"
    assert launch(admin_api, set_id).json() == []  # everything is analysed with this config
    assert len(launch(admin_api, set_id, config_id=1).json()) == 2  # another config is not


def test_a_failed_job_has_a_readable_error_and_is_launched_again(
    admin_api: Api, lab: Lab, small_fastq: bytes
) -> None:
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    sample_id = new_sample(admin_api, set_id, small_fastq)
    settings = lab.app.state.context.settings
    (settings.sequences_dir / "broken.fastq").write_bytes(b"@read1\nACGT\n+\nII\n")
    with lab.database.write() as db:  # a file damaged on disk after its upload check
        db.execute("UPDATE samples SET stored_name = 'broken.fastq' WHERE id = ?", [sample_id])
    (job,) = launch(admin_api, set_id).json()
    (failed,) = wait_until_finished(admin_api, set_id)
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert failed["error"] == "s.fastq:4: Length of sequence and qualities differ"
    (again,) = launch(admin_api, set_id).json()
    assert again["id"] != job["id"] and again["sample_id"] == sample_id


def test_cancel_a_queued_job_then_rerun_it(admin_api: Api, lab: Lab, small_fastq: bytes) -> None:
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    for _ in range(2):
        new_sample(admin_api, set_id, small_fastq)
    first, second = launch(admin_api, set_id).json()  # one worker: the second waits
    cancelled = admin_api.post(f"/api/jobs/{second['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert admin_api.post(f"/api/jobs/{second['id']}/cancel").status_code == 409
    rerun = admin_api.post(f"/api/jobs/{second['id']}/rerun")
    assert rerun.status_code == 201 and rerun.json()["sample_id"] == second["sample_id"]
    finished = {job["id"]: job["status"] for job in wait_until_finished(admin_api, set_id)}
    assert finished[first["id"]] == finished[rerun.json()["id"]] == "completed"
    assert finished[second["id"]] == "cancelled"
    again = admin_api.post(f"/api/jobs/{first['id']}/rerun")
    assert again.status_code == 201
    fuse = next(job for job in wait_until_finished(admin_api, set_id) if job["kind"] == "fuse")
    assert admin_api.post(f"/api/jobs/{fuse['id']}/rerun").status_code == 400
    results = admin_api.get(f"/api/sample-sets/{set_id}/result-files").json()
    assert [r["sample_id"] for r in results].count(first["sample_id"]) == 2  # history kept
    actions = [e["action"] for e in audit.entries(lab.database, "jobs", second["id"])]
    assert actions == ["cancel_job"]


def test_launching_needs_the_run_right_and_other_groups_see_nothing(
    admin_api: Api, lab: Lab, small_fastq: bytes
) -> None:
    ours, theirs = lab.group("ours", ALL_RIGHTS), lab.group("theirs", ALL_RIGHTS)
    no_run = lab.group("no-run", ("read", "create", "upload", "save", "admin"))
    set_id = new_set(admin_api, ours)
    lab.database.db().execute("INSERT INTO set_access VALUES (?, ?)", [set_id, no_run])
    sample_id = new_sample(admin_api, set_id, small_fastq)
    (job,) = launch(admin_api, set_id).json()
    outsider = lab.user("outsider@lab.example", theirs)
    assert launch(outsider, set_id).status_code == 404
    assert outsider.get(f"/api/sample-sets/{set_id}/jobs").status_code == 404
    assert outsider.post(f"/api/jobs/{job['id']}/cancel").status_code == 404
    assert outsider.post(f"/api/jobs/{job['id']}/rerun").status_code == 404
    member = lab.user("member@lab.example", no_run)
    assert launch(member, set_id, sample_ids=[sample_id]).status_code == 403
    assert member.get(f"/api/sample-sets/{set_id}/jobs").status_code == 200
    assert member.post(f"/api/jobs/{job['id']}/cancel").status_code == 403
    assert launch(admin_api, set_id, sample_ids=[sample_id + 100]).status_code == 404
    assert launch(admin_api, set_id, config_id=999).status_code == 404
    wait_until_finished(admin_api, set_id)


def test_no_launch_when_the_disk_is_nearly_full(
    admin_api: Api, lab: Lab, small_fastq: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    new_sample(admin_api, set_id, small_fastq)
    monkeypatch.setattr(disk, "disk_usage", lambda path: (1000, 995, 5))  # 0.5% free
    refused = launch(admin_api, set_id)
    assert refused.status_code == 507 and refused.json()["error"]["code"] == "disk_full"
    assert admin_api.get(f"/api/sample-sets/{set_id}/jobs").json() == []


def finished_params(settings: Settings, sample_id: int) -> AnalysisParams:
    """The parameters of an analysis of `sample_id` with config 2, as launched."""
    return AnalysisParams(
        sample_id=sample_id,
        config_id=2,
        config_name="IGH",
        program="vidjil-local",
        germline="human:IGH",
        germline_name="human:IGH",
        options={},
        reads_path=settings.sequences_dir / f"{sample_id}_1.fastq",
        original_name=f"{sample_id}.fastq",
        folder=f"{sample_id}/run",
        output_dir=settings.results_dir / f"{sample_id}/run",
        results_dir=settings.results_dir,
    )


def test_recording_twice_adds_one_result_and_waiting_fuses_are_merged(
    database: Database, settings: Settings
) -> None:
    with database.write() as db:
        set_id = (
            db.table("sample_sets")
            .insert({"kind": "generic", "created_at": "t", "updated_at": "t"})
            .last_pk
        )
        sample_ids = [
            db.table("samples").insert({"original_name": name, "created_at": "t"}).last_pk
            for name in ("a.fq", "b.fq")
        ]
        for position, sample_id in enumerate(sample_ids):
            db.table("set_samples").insert(
                {"sample_set_id": set_id, "sample_id": sample_id, "position": position}
            )
    job_ids = []
    for sample_id in sample_ids:
        params = finished_params(settings, int(sample_id or 0))
        job = jobs.submit(database, lambda job_id: None, "analysis", params, sample_id=sample_id)
        job_ids.append(job.id)
        queued = record_analysis(database, job, params, {"vidjil": "x.vidjil"})
        assert len(queued) == (1 if sample_id == sample_ids[0] else 0)  # then: the waiting fuse
        # a re-run after a crash, before `finish`, records nothing and queues nothing
        assert record_analysis(database, job, params, {"vidjil": "x.vidjil"}) == []
    results = list(database.db().query("SELECT id, job_id FROM results ORDER BY id"))
    assert [row["job_id"] for row in results] == job_ids
    (fuse,) = database.db().query("SELECT params FROM jobs WHERE kind = 'fuse'")
    inputs = json.loads(fuse["params"])["inputs"]
    assert [item["result_id"] for item in inputs] == [row["id"] for row in results]


def test_a_stale_fuse_is_fused_again_and_no_result_left_drops_the_fused_one(
    database: Database, settings: Settings
) -> None:
    with database.write() as db:
        sets = db.table("sample_sets")
        set_id = int(
            sets.insert({"kind": "generic", "created_at": "t", "updated_at": "t"}).last_pk or 0
        )
        for position, name in enumerate(("a.fq", "b.fq")):
            sample_id = (
                db.table("samples").insert({"original_name": name, "created_at": "t"}).last_pk
            )
            db.table("set_samples").insert(
                {"sample_set_id": set_id, "sample_id": sample_id, "position": position}
            )
    sample_ids = [
        row["sample_id"] for row in database.db().query("SELECT sample_id FROM set_samples")
    ]

    def finish_analysis(sample_id: int) -> list[int]:
        params = finished_params(settings, sample_id)
        job = jobs.submit(database, lambda job_id: None, "analysis", params, sample_id=sample_id)
        return record_analysis(database, job, params, {"vidjil": "x.vidjil"})

    def fuses(status: JobStatus) -> list[jobs.Job]:
        return [job for job in jobs.list_jobs(database, status) if job.kind == "fuse"]

    queued = finish_analysis(sample_ids[0])
    (first,) = fuses(JobStatus.QUEUED)
    assert queued == [first.id]  # for the runtime to send at once
    started = jobs.claim(database, first.id)  # running: it keeps its inputs
    assert started is not None
    queued = finish_analysis(sample_ids[1])
    (second,) = fuses(JobStatus.QUEUED)
    assert queued == [second.id]  # the first one runs: a new fuse
    assert record_fuse(database, started, FuseParams.from_stored(started.params), {}) == []
    assert database.db().execute("SELECT count(*) FROM fused_results").fetchone()[0] == 0
    (waiting,) = fuses(JobStatus.QUEUED)
    assert waiting.id == second.id and len(waiting.params["inputs"]) == 2
    record_fuse(database, waiting, FuseParams.from_stored(waiting.params), {})
    (fused,) = database.db().query("SELECT result_ids FROM fused_results")
    assert len(json.loads(fused["result_ids"])) == 2
    with database.write() as db:
        db.execute("DELETE FROM results")
        queue_fuse(db, settings.results_dir, set_id=set_id, config_id=2, user_id=None)
    assert database.db().execute("SELECT count(*) FROM fused_results").fetchone()[0] == 0


class Interrupted(Exception):
    """What stops a transaction half-way (an error, or a kill that SQLite rolls back)."""


def test_a_fused_file_is_removed_only_once_its_row_is_gone_for_good(
    database: Database, settings: Settings
) -> None:
    with database.write() as db:
        set_id = int(
            db.table("sample_sets")
            .insert({"kind": "generic", "created_at": "t", "updated_at": "t"})
            .last_pk
            or 0
        )
        relative = f"fused/{set_id}/2/old.vidjil"
        db.table("fused_results").insert(
            {"sample_set_id": set_id, "config_id": 2, "path": relative, "result_ids": "[1]",
             "updated_at": "t"}
        )  # fmt: skip
    fused = settings.results_dir / relative
    fused.parent.mkdir(parents=True)
    fused.write_text("{}", encoding="utf-8")

    def fused_rows() -> int:
        return int(database.db().execute("SELECT count(*) FROM fused_results").fetchone()[0])

    with pytest.raises(Interrupted), database.write() as db:
        queue_fuse(db, settings.results_dir, set_id=set_id, config_id=2, user_id=None)
        assert fused.exists()  # the set has no result left, but nothing is committed yet
        raise Interrupted
    assert fused_rows() == 1 and fused.read_text(encoding="utf-8") == "{}"  # still served

    with database.write() as db:
        queue_fuse(db, settings.results_dir, set_id=set_id, config_id=2, user_id=None)
        assert fused.exists()
    assert fused_rows() == 0 and not fused.exists()


def test_an_analysis_with_an_imported_germline_set(
    admin_api: Api, lab: Lab, small_fastq: bytes
) -> None:
    mini = Path(__file__).parents[2] / "data" / "germline" / "mini"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for path in mini.iterdir():
            zipped.writestr(f"mini/{path.name}", path.read_bytes())
    imported = admin_api.post(
        "/api/germlines", params={"name": "mini-lab"}, content=buffer.getvalue()
    )
    assert imported.status_code == 201, imported.text
    config = admin_api.post("/api/configs", json={"name": "mini", "germline": "mini-lab:IGH"})
    set_id = new_set(admin_api, lab.group("ours", ALL_RIGHTS))
    new_sample(admin_api, set_id, small_fastq)
    (job,) = launch(admin_api, set_id, config_id=config.json()["id"]).json()
    finished = {j["id"]: j for j in wait_until_finished(admin_api, set_id)}[job["id"]]
    assert finished["status"] == "completed", finished["error"]
    assert finished["result"]["reads"] == 300 and "mini" in finished["result"]["germline"]


@pytest.mark.slow
def test_a_sample_name_of_249_characters_is_analysed_not_crashing(
    admin_api: Api, small_fastq: bytes, settings: Settings
) -> None:
    """Result files are named after the sample: a name near the file system's 255-byte limit
    once made every analysis of it crash (retried) with the server's data path in the error."""
    long_name = "P" * 240 + ".fastq.gz"  # 249 characters, the longest name a sample may have
    set_id = new_set(admin_api, 1)
    sample_id = new_sample(admin_api, set_id, small_fastq, name=long_name)
    assert launch(admin_api, set_id, sample_ids=[sample_id]).status_code == 201
    finished = wait_until_finished(admin_api, set_id)
    analysis = next(job for job in finished if job["kind"] == "analysis")
    assert analysis["status"] == "completed", (analysis["error"], analysis["attempts"])
    assert analysis["attempts"] == 1
    assert all(str(settings.data_dir) not in json.dumps(job) for job in finished)
    results = admin_api.get(f"/api/sample-sets/{set_id}/result-files").json()
    assert admin_api.get(f"/api/results/{results[0]['id']}/vidjil").status_code == 200


@pytest.mark.slow  # one analysis per seeded config: over 90 s on a loaded 2-core machine
def test_every_seeded_config_analyses_a_sample(admin_api: Api, small_fastq: bytes) -> None:
    """Each config a new install offers runs to the end, the default `multi+inc+xxx` (its
    `unexpected: true`) included: the job's parameters once turned that true into 1, which the
    compiled core refused ("bool object expected"), so every default analysis of the installed app
    failed while the interpreted core let it through."""
    configs = [c for c in admin_api.get("/api/configs").json() if c["program"] == "vidjil-local"]
    assert any(config["options"].get("unexpected") is True for config in configs)
    set_id = new_set(admin_api, 1)
    sample_id = new_sample(admin_api, set_id, small_fastq)
    for config in configs:
        assert launch(admin_api, set_id, config["id"], sample_ids=[sample_id]).status_code == 201
    finished = wait_until_finished(admin_api, set_id, timeout=300)
    analyses = [job for job in finished if job["kind"] == "analysis"]
    assert len(analyses) == len(configs)
    assert all(job["status"] == "completed" for job in analyses), [
        (job["config_name"], job["error"]) for job in analyses if job["status"] != "completed"
    ]


def test_a_true_option_stays_a_bool_in_the_stored_job(settings: Settings) -> None:
    launched = finished_params(settings, 1).model_copy(
        update={"options": {"unexpected": True, "min_reads": 5, "max_evalue": 1.0}}
    )
    stored = AnalysisParams.from_stored(json.loads(launched.to_json()))
    assert stored.options == {"unexpected": True, "min_reads": 5, "max_evalue": 1.0}
    assert [type(value) for value in stored.options.values()] == [bool, int, float]
