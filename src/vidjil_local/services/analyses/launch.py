"""Launching analyses, in the app process: one durable `analysis` job per sample x config, and
the set's job list, cancel and re-run.

A launch checks and inserts its jobs in one `BEGIN IMMEDIATE` transaction, so two clicks cannot
queue the same sample x config twice; each job is sent after the commit. The job's child process
then works from its parameters only (`work.py`), and `record.py` records its result back here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db import jobs as job_records
from vidjil_local.db.clock import now
from vidjil_local.db.jobs import JobStatus
from vidjil_local.db.samples import SampleStatus
from vidjil_local.errors import Conflict, NotFound, UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.analyses import configs
from vidjil_local.services.analyses.params import analysis_params
from vidjil_local.services.authz import Principal
from vidjil_local.services.disk import check_free_space
from vidjil_local.settings import Settings

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
JOB_LIST = (
    "SELECT j.*, s.original_name AS sample_name, c.name AS config_name, "
    "(julianday(coalesce(j.finished_at, strftime('%Y-%m-%dT%H:%M:%f', 'now'))) "
    "- julianday(j.started_at)) * 86400 AS seconds FROM jobs j "
    "LEFT JOIN samples s ON s.id = j.sample_id LEFT JOIN configs c ON c.id = j.config_id"
)
RELAUNCHABLE = (JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass(frozen=True)
class SetJob:
    """A job as the set's job list shows it."""

    job: job_records.Job
    sample_name: str | None
    config_name: str | None
    seconds: float | None  # running time, when started


class Analyses:
    """Launch, list, cancel and re-run the analyses of sample sets."""

    def __init__(
        self, database: Database, settings: Settings, enqueue: Callable[[int], None] | None
    ) -> None:
        self.database = database
        self.settings = settings
        self.enqueue = enqueue  # None when the app runs without workers: the sweep sends later

    def launch(
        self,
        principal: Principal,
        actor: audit.Actor,
        set_id: int,
        config_id: int,
        sample_ids: list[int] | None = None,
    ) -> list[job_records.Job]:
        authz.require(self.database, principal, "run", set_id)
        config = configs.get(self.database, config_id, principal)  # offered to the user's groups
        check_free_space(self.settings)  # results need room, as uploads do
        with self.database.write() as db:
            chosen = _chosen_samples(db, set_id, config, sample_ids)
            job_ids = [self._insert_job(db, principal, set_id, config, sample) for sample in chosen]
            for job_id, sample in zip(job_ids, chosen, strict=True):
                audit.record(
                    db, actor, "launch_analysis", "samples", sample["id"],
                    job_id=job_id, config=config.name, sample_set_id=set_id,
                )  # fmt: skip
        return [self._send(job_id) for job_id in job_ids]

    def _send(self, job_id: int) -> job_records.Job:
        if self.enqueue is not None:
            self.enqueue(job_id)
        return job_records.get(self.database, job_id)

    def _insert_job(
        self,
        db: sqlite_utils.Database,
        principal: Principal,
        set_id: int,
        config: configs.Config,
        sample: dict[str, Any],
    ) -> int:
        row = {"kind": "analysis", "status": JobStatus.QUEUED, "created_at": now(), "params": "{}"}
        links = {"user_id": principal.user_id, "sample_id": sample["id"], "config_id": config.id}
        job_id = int(
            db.table("jobs").insert({**row, **links, "sample_set_id": set_id}).last_pk or 0
        )
        params = analysis_params(self.settings, config=config, sample=sample, job_id=job_id)
        db.execute("UPDATE jobs SET params = ? WHERE id = ?", [params.to_json(), job_id])
        return job_id

    def set_jobs(self, principal: Principal, set_id: int, limit: int = 200) -> list[SetJob]:
        authz.require(self.database, principal, "read", set_id)
        rows = self.database.db().query(
            f"{JOB_LIST} WHERE j.sample_set_id = ? OR (j.kind = 'analysis' AND j.sample_id IN "
            "(SELECT sample_id FROM set_samples WHERE sample_set_id = ?)) "
            "ORDER BY j.id DESC LIMIT ?",
            [set_id, set_id, limit],
        )
        return [_set_job(row) for row in rows]

    def my_jobs(self, principal: Principal, *, limit: int, active_only: bool) -> list[SetJob]:
        """The jobs this user launched, newest first, on the sets the user may still read."""
        readable, args = authz.readable_set_ids_sql(principal)
        active = " AND j.status IN ('queued', 'running')" if active_only else ""
        rows = self.database.db().query(
            f"{JOB_LIST} WHERE j.user_id = ?{active} AND (j.sample_set_id IS NULL OR "
            f"j.sample_set_id IN (SELECT sample_sets.id FROM sample_sets WHERE {readable})) "
            "ORDER BY j.id DESC LIMIT ?",
            [principal.user_id, *args, limit],
        )
        return [_set_job(row) for row in rows]

    def _require_job_right(self, principal: Principal, job: job_records.Job) -> None:
        if job.sample_set_id is None:
            if not principal.is_admin:
                raise NotFound(f"no job {job.id}", job_id=job.id)
            return
        try:
            authz.require(self.database, principal, "run", job.sample_set_id)
        except NotFound:
            raise NotFound(f"no job {job.id}", job_id=job.id) from None

    def cancel(self, principal: Principal, actor: audit.Actor, job_id: int) -> job_records.Job:
        self._require_job_right(principal, job_records.get(self.database, job_id))
        job = job_records.request_cancel(self.database, job_id)
        audit.record_now(self.database, actor, "cancel_job", table_name="jobs", record_id=job_id)
        return job

    def rerun(self, principal: Principal, actor: audit.Actor, job_id: int) -> job_records.Job:
        old = job_records.get(self.database, job_id)
        self._require_job_right(principal, old)
        if old.kind != "analysis" or old.sample_id is None or old.config_id is None:
            raise UsageError(f"job {job_id} is not an analysis; it cannot be re-run", job_id=job_id)
        assert old.sample_set_id is not None  # analyses are launched on a set
        (job,) = self.launch(principal, actor, old.sample_set_id, old.config_id, [old.sample_id])
        return job


def _set_job(row: dict[str, Any]) -> SetJob:
    seconds = row.pop("seconds")
    sample_name, config_name = row.pop("sample_name"), row.pop("config_name")
    job = job_records.Job.from_row(row)
    timing = round(seconds, 3) if seconds is not None and job.started_at else None
    return SetJob(job, sample_name, config_name, timing)


def _set_samples(db: sqlite_utils.Database, set_id: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT s.* FROM samples s JOIN set_samples ss ON ss.sample_id = s.id "
            "WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
            [set_id],
        )
    )


def _last_status(db: sqlite_utils.Database, sample_id: int, config_id: int) -> JobStatus | None:
    row = db.execute(
        "SELECT status FROM jobs WHERE kind = 'analysis' AND sample_id = ? AND config_id = ? "
        "ORDER BY id DESC LIMIT 1",
        [sample_id, config_id],
    ).fetchone()
    return JobStatus(row[0]) if row else None


def _chosen_samples(
    db: sqlite_utils.Database, set_id: int, config: configs.Config, sample_ids: list[int] | None
) -> list[dict[str, Any]]:
    """The samples asked for (each checked), or by default every ready sample of the set that
    the config can take and that was never analysed with it or whose last job failed or was
    cancelled."""
    config_id = config.id
    samples = _set_samples(db, set_id)
    if sample_ids is None:
        return [
            sample
            for sample in samples
            if sample["status"] == SampleStatus.READY
            and _last_status(db, sample["id"], config_id) in (None, *RELAUNCHABLE)
            and _mismatch(config, sample) is None
        ]
    by_id = {sample["id"]: sample for sample in samples}
    chosen = []
    for sample_id in dict.fromkeys(sample_ids):
        sample = by_id.get(sample_id)
        if sample is None:
            raise NotFound(f"no sample {sample_id} in sample set {set_id}", sample_id=sample_id)
        if sample["status"] != SampleStatus.READY:
            raise Conflict(
                f"sample {sample_id} is {sample['status']}, not ready to analyse",
                sample_id=sample_id,
                status=sample["status"],
            )
        if mismatch := _mismatch(config, sample):
            raise UsageError(mismatch, sample_id=sample_id, config_id=config_id)
        if _last_status(db, sample_id, config_id) in ACTIVE:
            raise Conflict(
                f"sample {sample_id} already has a queued or running job for this config",
                sample_id=sample_id,
                config_id=config_id,
            )
        chosen.append(sample)
    return chosen


# How uploads store a file after its content: reads as .fastq/.fasta[.gz], a result file made
# elsewhere as `results.sniff` names it (.vidjil, AIRR or MiXCR TSV, plain or gzipped). A file
# stored under another name is left to the job.
READS_SUFFIXES = (".fastq", ".fasta", ".fastq.gz", ".fasta.gz")
RESULT_SUFFIXES = (".vidjil", ".tsv", ".tsv.gz")


def _mismatch(config: configs.Config, sample: dict[str, Any]) -> str | None:
    """Why `config` cannot take the file of `sample` (reads for the import config, a result
    file for an analysis), or None; the job would fail on its first line."""
    if sample["network"]:  # a linked file keeps its own name: the job tells
        return None
    stored = str(sample["stored_name"] or "")
    name = f"sample {sample['id']} ({sample['original_name']})"
    if config.program == "import" and stored.endswith(READS_SUFFIXES):
        return (
            f"{name} holds reads: config {config.name!r} only imports results made elsewhere "
            "(.vidjil, AIRR or MiXCR files); choose an analysis config"
        )
    if config.program != "import" and stored.endswith(RESULT_SUFFIXES):
        return (
            f"{name} holds results made elsewhere, not reads: import it with an import "
            f"config, not {config.name!r}"
        )
    return None
