"""The frozen app's own checks, run on the installed `vidjil-local` command (see conftest): the
compiled core, the server and the client it serves, an analysis on the command line with its
process pool (spawn in a frozen program), an analysis job through the server, and a database of
the previous schema opened, copied and migrated, and the HTTPS listener of the lab network."""

from __future__ import annotations

import csv
import json
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.app_process import csrf_client, start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN
from tests.redis_server import RedisServer
from tests.waiting import wait_until
from vidjil_local import __version__
from vidjil_local.db.migrations import known_names

pytestmark = pytest.mark.slow

DATA = Path(__file__).parents[1] / "data"
DIAGNOSIS = DATA / "lab" / "diagnosis.fastq.gz"
PREVIOUS_SCHEMA = DATA / "previous-schema" / "schema3.sqlite"
DOMINANT_JUNCTION = "CAEPSKDRIAVAGTTALGFDPW"  # 600 of the 3,000 reads (tests/data/lab)


def test_version_says_the_core_is_compiled(app_program: Path) -> None:
    done = subprocess.run([app_program, "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == f"vidjil-local {__version__} (core: compiled)", done.stderr


def test_serve_answers_and_serves_the_client(app_program: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = time.monotonic()
    server = start_app(data, "serve", "--port", "0", program=[str(app_program)])
    try:
        url = wait_for_url(data, server)
        print(f"first /api/health answer {time.monotonic() - started:.2f} s after start")
        health = httpx.get(url + "/api/health").json()
        assert health["status"] == "ok" and health["core"] == "compiled"
        assert health["schema_version"] == len(known_names())
        page = httpx.get(url + "/")
        assert page.status_code == 200 and 'type="module"' in page.text
        for asset in re.findall(r'(?:src|href)="(/?assets/[^"]+)"', page.text):
            assert httpx.get(f"{url}/{asset.lstrip('/')}").status_code == 200, asset
        docs = httpx.get(url + "/api/schema/")
        assert docs.status_code == 200 and "/vendor/swagger-ui" in docs.text
    finally:
        output = stop(server)
    assert server.returncode == 0 and "Traceback" not in output


def test_analyze_with_a_process_pool(app_program: Path, tmp_path: Path) -> None:
    command = [str(app_program), "analyze", str(DIAGNOSIS), "-g", "human:IGH", "-o", str(tmp_path)]
    done = subprocess.run(
        [*command, "--processes", "2", "--quiet"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "diagnosis.vidjil").read_text())
    junctions = [clone.get("seg", {}).get("junction", {}).get("aa") for clone in result["clones"]]
    assert junctions[0] == DOMINANT_JUNCTION
    with (tmp_path / "diagnosis.tsv").open(
        newline=""
    ) as airr_file:  # written with the airr library
        rows = list(csv.DictReader(airr_file, delimiter="\t"))
    assert rows[0]["junction_aa"] == DOMINANT_JUNCTION and rows[0]["v_call"].startswith("IGHV3-23")


def job_state(api: httpx.Client, set_id: int, job_id: int) -> dict[str, Any]:
    [job] = [
        job for job in api.get(f"/api/sample-sets/{set_id}/jobs").json() if job["id"] == job_id
    ]
    state: dict[str, Any] = job
    return state


def test_an_analysis_job_through_the_server(app_program: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = start_app(data, "serve", "--port", "0", program=[str(app_program)])
    try:
        api = csrf_client(wait_for_url(data, server))
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        set_id = api.post("/api/sample-sets", json={"kind": "patient", "id_label": "P-1"}).json()[
            "id"
        ]
        sample = api.post(
            f"/api/sample-sets/{set_id}/samples", json={"original_name": "diagnosis.fastq.gz"}
        ).json()
        upload = api.put(f"/api/samples/{sample['id']}/files/1", content=DIAGNOSIS.read_bytes())
        assert upload.status_code == 200, upload.text
        # the config a user finds preselected: every system, "+" and "xxx" (unexpected: true)
        configs = {config["name"]: config["id"] for config in api.get("/api/configs").json()}
        launched = api.post(
            f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["multi+inc+xxx"]}
        )
        assert launched.status_code == 201, launched.text
        [job] = launched.json()

        def completed() -> bool:
            state = job_state(api, set_id, job["id"])
            assert state["status"] in {"queued", "running", "completed"}, state
            return bool(state["status"] == "completed")

        wait_until(completed, timeout=180, what="the analysis job did not complete")
        [result] = api.get(f"/api/sample-sets/{set_id}/result-files").json()
        clones = api.get(f"/api/results/{result['id']}/clones").json()
        assert clones["clones"][0]["junction_aa"] == DOMINANT_JUNCTION
        airr = api.get(f"/api/results/{result['id']}/airr")
        assert airr.status_code == 200 and DOMINANT_JUNCTION in airr.text
    finally:
        output = stop(server)
    assert "Traceback" not in output


def test_jobs_run_through_a_redis_server(app_program: Path, tmp_path: Path) -> None:
    """With redis_url, dramatiq's Redis broker runs Lua scripts, package data the app must
    bundle: without them every consumer failed with KeyError: 'dispatch' and no job ran."""
    redis = RedisServer()
    redis.start()
    data = tmp_path / "data"
    env = {"VIDJIL_REDIS_URL": redis.url}
    server = start_app(data, "serve", "--port", "0", program=[str(app_program)], env=env)
    try:
        api = csrf_client(wait_for_url(data, server))
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        assert api.get("/api/health").json()["broker"] == "redis"
        queued = api.post("/api/admin/diagnostics", json={"seconds": 1})
        assert queued.status_code == 202, queued.text
        job_id = queued.json()["id"]

        def completed() -> bool:
            jobs = api.get("/api/admin/status").json()["last_jobs"]
            [state] = [job for job in jobs if job["id"] == job_id]
            assert state["status"] in {"queued", "running", "completed"}, state
            return bool(state["status"] == "completed")

        wait_until(completed, timeout=120, what="the self-test did not run through Redis")
    finally:
        output = stop(server)
        redis.stop()
    assert "Traceback" not in output, output


def test_a_database_of_the_previous_schema_is_copied_then_migrated(
    app_program: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PREVIOUS_SCHEMA, data / "vidjil.sqlite")
    server = start_app(data, "serve", "--port", "0", program=[str(app_program)])
    try:
        api = csrf_client(wait_for_url(data, server))
        assert api.get("/api/health").json()["schema_version"] == len(known_names())
        login = {"email": "admin@lab.example", "password": "previous-release-1"}
        assert api.post("/api/auth/login", json=login).status_code == 200
        patients = api.get("/api/sample-sets", params={"kind": "patient"}).text
        assert "P-001" in patients
    finally:
        stop(server)
    [copy] = (data / "backups").glob("before-upgrade-*-schema3.sqlite")
    server = start_app(data, "serve", "--port", "0", program=[str(app_program)])
    try:
        wait_for_url(data, server)  # the next successful start
    finally:
        stop(server)
    assert not copy.exists()


def test_the_data_folder_is_the_systems_user_data_folder(app_program: Path, tmp_path: Path) -> None:
    environment = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [app_program, "settings", "show", "host"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    assert f"data_dir = {tmp_path / 'share' / 'vidjil-local'}" in done.stdout


def test_the_lab_network_listener_serves_https(app_program: Path, tmp_path: Path) -> None:
    """The HTTPS listener makes its certificate with `cryptography` (a compiled extension the
    build must carry) and answers a real TLS handshake."""
    data = tmp_path / "data"
    network = ("--set", "network_access=true", "--set", "network_address=127.0.0.1")
    server = start_app(
        data, *network, "--set", "network_port=0", "serve", "--port", "0",
        program=[str(app_program)],
    )  # fmt: skip
    try:
        wait_for_url(data, server, timeout=90)
        info = json.loads((data / "instance.json").read_text(encoding="utf-8"))
        certificate = data / "tls" / "self-signed.crt"
        trusting = ssl.create_default_context(cafile=str(certificate))
        health = httpx.get(info["network_url"] + "/api/health", verify=trusting, timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        output = stop(server)
    assert "Traceback" not in output
