"""A data folder restored into another folder (or moved) with a job still queued: at the start the
job's paths follow the new folder. They were kept as at the launch, so the restored app read the
old folder's sequence file and wrote its result into the old folder, another installation's."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.waiting import wait_until
from vidjil_local.db import Database, jobs, migrate
from vidjil_local.db.clock import now
from vidjil_local.jobs import JobRuntime
from vidjil_local.services import audit
from vidjil_local.services.accounts import members
from vidjil_local.services.analyses.launch import Analyses
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.authz import Principal
from vidjil_local.settings import Settings, resolve_settings

DIAGNOSIS = Path(__file__).parents[2] / "data" / "lab" / "diagnosis.fastq.gz"
EMAIL = "ada@lab.example"


def queue_an_analysis(settings: Settings) -> int:
    """A patient with one uploaded sample and an IGH analysis queued, no worker running."""
    database = Database(settings.database_path)
    migrate(database.db())
    with database.write() as db:
        user_id = members.create_user(db, EMAIL, "correct horse battery")
        set_id = int(db.table("sample_sets").insert({
            "kind": "patient", "id_label": "P-1", "created_by": user_id,
            "created_at": now(), "updated_at": now(),
        }).last_pk or 0)  # fmt: skip
        settings.sequences_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(DIAGNOSIS, settings.sequences_dir / "1_1.fastq.gz")
        sample_id = int(db.table("samples").insert({
            "original_name": "diagnosis.fastq.gz", "stored_name": "1_1.fastq.gz",
            "size": DIAGNOSIS.stat().st_size, "status": "ready", "created_at": now(),
        }).last_pk or 0)  # fmt: skip
        db.table("set_samples").insert({"sample_set_id": set_id, "sample_id": sample_id})
        config_id = int(db.execute("SELECT id FROM configs WHERE name = 'IGH'").fetchone()[0])
    admin = Principal(user_id, EMAIL, is_admin=True, group_ids=frozenset())
    analyses = Analyses(database, settings, enqueue=None)
    [job] = analyses.launch(admin, audit.Actor(user_id, EMAIL), set_id, config_id)
    database.close()
    return job.id


def test_a_queued_job_follows_its_data_folder_restored_elsewhere(tmp_path: Path) -> None:
    first = resolve_settings(tmp_path / "first", environ={}, overrides={"workers_pool": 1})
    job_id = queue_an_analysis(first)
    shutil.copytree(first.data_dir, tmp_path / "second")  # as a restore into a new folder
    second = resolve_settings(tmp_path / "second", environ={}, overrides={"workers_pool": 1})
    database = Database(second.database_path)
    runtime = JobRuntime(second, database)
    runtime.start()
    try:

        def ended() -> jobs.Job | None:
            job = jobs.get(database, job_id)
            return job if job.status in jobs.FINISHED else None

        job = wait_until(ended, timeout=120, what="the analysis did not end")
    finally:
        runtime.stop()
    assert job.status == "completed", job.error
    params = AnalysisParams.from_stored(job.params)
    assert params.reads_path == second.sequences_dir / "1_1.fastq.gz"
    assert params.output_dir == second.results_dir / params.folder
    assert (second.results_dir / params.folder / "diagnosis.vidjil").is_file()
    assert not (first.results_dir / params.folder).exists(), "it wrote into the old folder"
    database.close()
