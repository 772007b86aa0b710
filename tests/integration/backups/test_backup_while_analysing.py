"""Issue 11's test of backups: a backup taken while an analysis runs restores into an empty data
folder with identical results, fused results, analyses and logins.

Real analyses in their own processes on the simulated lab samples; the backup is taken while an
analysis is held running (its work done, its result not yet recorded: `tests/held_jobs.py`, so
however fast the machine, its database copy shows the job running), then `vidjil-local restore`
fills an empty folder, and an app on it answers as the original did for everything that existed
when the backup was taken."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.held_jobs import hold_one_record
from tests.integration.api.conftest import ADMIN, Api
from tests.integration.test_lab_workflow import create_patient_with_samples, wait_for_fused
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.cli import main
from vidjil_local.services.backups import BackupStore, Trigger
from vidjil_local.services.backups.manifest import DATABASE
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import Settings, resolve_settings

pytestmark = pytest.mark.slow
ANALYSIS = {"clones": [{"id": "igh-a", "name": "the leukemic clone", "tag": 0}], "clusters": []}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def answers(api: Api, set_id: int, config_id: int) -> dict[str, Any]:
    """What the lab sees of the set for one config: fused result, its clones, the analysis, the
    result files (those of the other config may have finished before or after the backup)."""
    base = f"/api/sample-sets/{set_id}"
    files = api.get(f"{base}/result-files").json()
    return {
        "fused": api.get(f"{base}/results", params={"config_id": config_id}).json(),
        "clones": api.get(f"{base}/clones", params={"config_id": config_id, "limit": 50}).json(),
        "analysis": api.get(f"{base}/analysis").json(),
        "results": [file for file in files if file["config_id"] == config_id],
    }


def test_a_backup_during_an_analysis_restores_identically(
    settings: Settings, tmp_path: Path
) -> None:
    backups, empty = tmp_path / "backups", tmp_path / "restored"
    # no schedule: the one backup is the test's, with no catch-up of the app's beside it
    original = settings.with_values(workers_pool=1, backup_dir=backups, backup_schedule="")
    app = create_app(original)
    with local_client(app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        set_id, _ = create_patient_with_samples(api)
        configs = {config["name"]: config["id"] for config in api.get("/api/configs").json()}
        api.post(f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["IGH"]})
        wait_for_fused(api, set_id, configs["IGH"], samples=2)
        assert api.post(f"/api/sample-sets/{set_id}/analysis", json=ANALYSIS).status_code == 201
        before = answers(api, set_id, configs["IGH"])

        runtime = app.state.context.runtime
        with hold_one_record(runtime, "analysis") as held:  # running until let go
            launched = api.post(
                f"/api/sample-sets/{set_id}/analyses", json={"config_id": configs["multi-locus"]}
            )
            assert launched.status_code == 201, launched.text
            job = wait_until(held.holding, timeout=120, what="no analysis finished its work")
            jobs = api.get(f"/api/sample-sets/{set_id}/jobs").json()
            assert [j["status"] for j in jobs if j["id"] == job.id] == ["running"]
            database = app.state.context.database
            run = take_backup(original, database, trigger=Trigger.COMMAND)
        wait_for_fused(api, set_id, configs["multi-locus"], samples=2)  # the original goes on
        job_id = job.id

    snapshot = BackupStore(backups).snapshots / str(run.snapshot)
    statuses = dict(rows(snapshot / DATABASE, "SELECT id, status FROM jobs"))
    assert statuses[job_id] == "running", "the backup was taken while the analysis ran"

    assert main(["--data-dir", str(empty), "restore", "latest", "--from", str(backups)]) == 0
    restored = resolve_settings(empty, environ={}, overrides={"workers_pool": 1})
    for table in ("users", "groups", "memberships", "sample_sets", "samples", "analyses"):
        sql = f"SELECT * FROM {table} ORDER BY rowid"
        assert rows(restored.database_path, sql) == rows(snapshot / DATABASE, sql), table
    igh = f"SELECT folder, summary FROM results WHERE config_id = {configs['IGH']} ORDER BY id"
    assert rows(restored.database_path, igh) == rows(original.database_path, igh)
    for folder, _ in rows(restored.database_path, igh):
        for file in (original.results_dir / folder).iterdir():
            assert digest(restored.results_dir / folder / file.name) == digest(file), file.name
    fused = f"SELECT path FROM fused_results WHERE config_id = {configs['IGH']}"
    [(path,)] = rows(restored.database_path, fused)
    assert digest(restored.results_dir / path) == digest(original.results_dir / path)

    with local_client(create_app(restored, start_jobs=False)) as client:
        api = Api(client)
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
        after = answers(api, set_id, configs["IGH"])
        listed = {file["id"] for file in api.get(f"/api/sample-sets/{set_id}/result-files").json()}
    assert after == before
    # the second analysis' results are there as far as they were when the backup was taken
    assert listed == {
        result_id for (result_id,) in rows(snapshot / DATABASE, "SELECT id FROM results")
    }
