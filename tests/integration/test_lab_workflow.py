"""The lab workflow end to end, as issue 4 asks: a real SQLite file, real jobs in their own
processes, two simulated FASTQ files (a diagnosis and a follow-up sharing a dominant IGH clone).

From the admin's first start to a patient with two uploaded samples, an IGH analysis of both, and
the fused time-course, where the dominant clone is found in both samples with the simulator's
read counts (`tests/data/lab/*.truth.tsv`, see the README there).
"""

from __future__ import annotations

import csv
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from tests.paused_jobs import paused_job_process
from tests.waiting import server_url, wait_until
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
    jobs: list[dict[str, Any]] = []

    def fused() -> dict[str, Any] | None:
        nonlocal jobs
        jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
        failed = [job for job in jobs if job["status"] == "failed"]
        assert not failed, failed
        answer = api.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
        if answer.status_code == 200 and answer.json()["samples"]["number"] == samples:
            document: dict[str, Any] = answer.json()
            return document
        return None

    return wait_until(
        fused, timeout=120, interval=0.3, what=lambda: f"no fused result of {samples}: {jobs}"
    )


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
    with local_client(app) as client:
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

        over_time = f"/api/sample-sets/{set_id}/clones"
        by_follow_up = {"config_id": configs["IGH"], "sample": 1, "limit": 2}
        top_now = api.get(over_time, params=by_follow_up).json()
        assert top_now["samples"] == ["diagnosis.fastq.gz", "follow-up.fastq.gz"]
        assert top_now["clones"][0]["junction_aa"] == "CARVGYCSSTSCYAGVPGFDPW"  # 150 > 60 reads
        assert top_now["clones"][1]["reads"] == dominant["reads"]

        results = api.get(f"/api/sample-sets/{set_id}/result-files").json()
        assert len(results) == 2 and {r["sample_id"] for r in results} == set(sample_ids)
        first = next(r for r in results if r["sample_id"] == sample_ids[0])
        page = api.get(f"/api/results/{first['id']}/clones", params={"search": "CAEPSKDR"}).json()
        assert page["total"] == 1 and page["clones"][0]["reads"] == [dominant["reads"][0]]

        database = app.state.context.database
        entries = audit.entries(database, limit=1000)
        assert {"launch_analysis", "view_result"} <= {entry["action"] for entry in entries}
        completed = [entry for entry in entries if entry["action"] == "analysis_completed"]
        assert [entry["user_email"] for entry in completed] == [ADMIN["email"]] * 2
        assert database.db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- kill -9 of the server during an analysis, then a restart -------------------------------------
def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    command = [sys.executable, "-m", "vidjil_local", "--data-dir", str(data_dir), "serve"]
    server = subprocess.Popen(
        [*command, "--port", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def alive() -> None:
        assert server.poll() is None, "the server stopped at start"

    try:
        return server, server_url(data_dir, alive, timeout=60)
    except AssertionError:
        server.kill()
        raise


class HttpApi(Api):
    """The test API client over a real server (httpx keeps the cookies as the browser does)."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=60)  # type: ignore[assignment]
        self.client.get("/api/auth/status")


def job_of(api: Api, set_id: int, job_id: int) -> dict[str, Any]:
    jobs: list[dict[str, Any]] = api.get(f"/api/sample-sets/{set_id}/jobs").json()
    return next(job for job in jobs if job["id"] == job_id)


@pytest.mark.slow
def test_kill_9_during_an_analysis_then_a_restart_records_and_fuses_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server, url = start_server(data_dir)
    try:
        api = HttpApi(url)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        set_id = api.post("/api/sample-sets", json={"kind": "patient", "id_label": "P-8"}).json()[
            "id"
        ]
        sample = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": "fu.fq.gz"})
        content = (DATA / "follow-up.fastq.gz").read_bytes()
        assert api.put(f"/api/samples/{sample.json()['id']}/files/1", content=content).is_success
        configs = {config["name"]: config["id"] for config in api.get("/api/configs").json()}
        launched = api.post(
            f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["IGH"]}
        )
        (job,) = launched.json()
        with paused_job_process(server.pid, timeout=60):  # it cannot end before the kill
            assert job_of(api, set_id, job["id"])["status"] == "running"
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)

        server, url = start_server(data_dir)
        api = HttpApi(url)
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
        fused = wait_for_fused(api, set_id, configs["IGH"], samples=1)
        assert clone_by_junction(fused, "CAEPSKDRIAVAGTTALGFDPW")["reads"][0] >= 58
        finished = job_of(api, set_id, job["id"])
        assert finished["status"] == "completed" and finished["attempts"] == 2
        assert len(api.get(f"/api/sample-sets/{set_id}/result-files").json()) == 1
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    check = sqlite3.connect(data_dir / "vidjil.sqlite")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_a_sample_removed_from_a_set_leaves_its_time_course(settings: Settings) -> None:
    with local_client(create_app(settings)) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        set_id, sample_ids = create_patient_with_samples(api)
        other = api.post("/api/sample-sets", json={"kind": "generic", "name": "cohort"}).json()
        linked = api.post(f"/api/samples/{sample_ids[1]}/sets", json={"set_id": other["id"]})
        assert linked.status_code in {200, 201}, linked.text
        configs = {config["name"]: config["id"] for config in api.get("/api/configs").json()}
        launch = {"config_id": configs["IGH"]}
        assert api.post(f"/api/sample-sets/{set_id}/analyses", json=launch).status_code == 201
        wait_for_fused(api, set_id, configs["IGH"], samples=2)
        removed = api.delete(f"/api/samples/{sample_ids[1]}", params={"set_id": set_id})
        assert removed.status_code == 200, removed.text
        fused = wait_for_fused(api, set_id, configs["IGH"], samples=1)
        assert fused["samples"]["original_names"] == ["diagnosis.fastq.gz"]
