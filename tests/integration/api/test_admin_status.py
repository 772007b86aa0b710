"""The server status page and the worker self-test button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.services.network import tls
from vidjil_local.settings import Settings, resolve_settings


def wait_for_job(admin_api: Api, job_id: int, timeout: float = 60.0) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        status = admin_api.get("/api/admin/status").json()
        job: dict[str, Any] = next(j for j in status["last_jobs"] if j["id"] == job_id)
        return job if job["status"] in ("completed", "failed", "cancelled") else None

    return wait_until(finished, timeout=timeout, interval=0.2, what=f"job {job_id} did not finish")


def test_status_reports_the_server(app: Litestar, admin_api: Api, settings: Settings) -> None:
    admin_api.post("/api/sample-sets", json={"kind": "run", "name": "run 1"})
    with app.state.context.database.write() as db:
        for status in ("ready", "deleted"):
            db.table("samples").insert(
                {"original_name": "R1.fastq.gz", "status": status, "created_at": "2026-01-01"}
            )
    response = admin_api.get("/api/admin/status")
    assert response.status_code == 200, response.text
    status = response.json()
    assert status["health"]["status"] == "ok" and status["health"]["database"] == "ok"
    assert status["data_dir"] == str(settings.data_dir)
    assert 0 < status["disk_free_bytes"] <= status["disk_total_bytes"]
    assert status["database_bytes"] >= settings.database_path.stat().st_size > 0
    assert status["counts"]["users"] == 1 and status["counts"]["sample_sets"] == 1
    assert status["counts"]["samples"] == 1, "a deleted sample is not counted"
    assert status["locked_users"] == 0
    assert status["jobs_by_status"] == dict.fromkeys(
        ("queued", "running", "completed", "failed", "cancelled"), 0
    )
    assert status["last_jobs"] == [] and status["workers"] == 1
    assert status["broker"] == "stub" and status["uptime_seconds"] >= 0


def test_the_self_test_job_runs_and_shows_in_the_status(admin_api: Api) -> None:
    queued = admin_api.post("/api/admin/diagnostics", json={"seconds": 0.05})
    assert queued.status_code == 202, queued.text
    assert queued.json()["kind"] == "diagnostics" and queued.json()["user_id"] == 1
    job = wait_for_job(admin_api, queued.json()["id"])
    assert job["status"] == "completed", job
    status = admin_api.get("/api/admin/status").json()
    assert status["jobs_by_status"]["completed"] == 1
    [entry] = admin_api.get("/api/audit", params={"action": "run_diagnostics"}).json()["items"]
    assert entry["record_id"] == job["id"]


@pytest.mark.parametrize("body", [{"seconds": 0}, {"seconds": 601}, {"seconds": "a"}, {"x": 1}])
def test_the_self_test_is_validated(admin_api: Api, body: dict[str, Any]) -> None:
    response = admin_api.post("/api/admin/diagnostics", json=body)
    assert response.status_code == 400, response.text
    assert admin_api.get("/api/admin/status").json()["last_jobs"] == []


def test_the_self_test_needs_the_job_system(settings: Settings) -> None:
    app: Litestar = create_app(settings, start_jobs=False)
    with local_client(app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        refused = api.post("/api/admin/diagnostics", json={"seconds": 1})
        assert refused.status_code == 409 and "not running" in refused.json()["error"]["message"]
        assert api.get("/api/admin/status").json()["broker"] == "stopped"


def test_network_status_is_off_by_default(admin_api: Api) -> None:
    response = admin_api.get("/api/admin/network")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "network_access": False, "url": None, "certificate": None, "problem": "",
    }  # fmt: skip


def test_network_status_shows_the_address_and_the_certificate_fingerprint(
    tmp_path: Path,
) -> None:
    overrides = {"network_access": True, "network_address": "10.1.2.3", "network_port": 9443}
    settings = resolve_settings(tmp_path / "data", environ={}, overrides=overrides)
    with local_client(create_app(settings)) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        before = api.get("/api/admin/network").json()
        assert before["certificate"] is None and "cannot read the certificate" in before["problem"]
        files = tls.server_tls(settings)  # what the launcher does before listening
        shown = api.get("/api/admin/network").json()
    assert shown["url"] == "https://10.1.2.3:9443" and shown["problem"] == ""
    expected = tls.describe(files.certificate, self_signed=True).fingerprint_sha256
    assert shown["certificate"]["fingerprint_sha256"] == expected
    assert shown["certificate"]["self_signed"] is True
    assert "10.1.2.3" in shown["certificate"]["names"]
