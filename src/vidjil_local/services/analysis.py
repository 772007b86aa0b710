"""Launching analyses: one durable `analysis` job per sample x config, then a `fuse` per set.

The app process decides and records (launch, `record_analysis`, `record_fuse`: the single
writer); the job's child process only computes (`run_analysis`, `run_fuse`) from its parameters
and files, never touching the database. A launch checks and inserts its jobs in one `BEGIN
IMMEDIATE` transaction, so two clicks cannot queue the same sample x config twice. Rows queued
by `on_complete` hooks (fuses) are sent by the runtime's sweep within seconds.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from vidjil_local.core import AnalysisResult, CloneResult, Designation, SampleResult, SegmentMatch
from vidjil_local.db import Database
from vidjil_local.errors import Conflict, InputFormatError, NotFound, UsageError
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, analyze
from vidjil_local.results import read_vidjil, write_airr, write_vidjil, write_window_counts
from vidjil_local.services import audit, authz, configs, germlines, uploads
from vidjil_local.services import fuse as fusing
from vidjil_local.services import jobs as job_records
from vidjil_local.services import results as result_files
from vidjil_local.services.authz import Principal
from vidjil_local.services.clock import now
from vidjil_local.settings import Settings

ACTIVE = ("queued", "running")
RELAUNCHABLE = ("failed", "cancelled")
Progress = Callable[[float], None]
GZIP_MAGIC = b"\x1f\x8b"


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
        config = configs.get(self.database, config_id)
        uploads.check_free_space(self.settings)  # results need room, as uploads do
        with self.database.write() as db:
            chosen = _chosen_samples(db, set_id, config_id, sample_ids)
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
        links = {"user_id": principal.user_id, "sample_id": sample["id"]}
        row = {"kind": "analysis", "status": "queued", "created_at": now(), "params": "{}"}
        job_id = int(
            db.table("jobs")
            .insert({**row, **links, "config_id": config.id, "sample_set_id": set_id})
            .last_pk
            or 0
        )
        params = analysis_params(self.settings, config, sample, job_id)
        db.execute("UPDATE jobs SET params = ? WHERE id = ?", [json.dumps(params), job_id])
        return job_id

    def set_jobs(self, principal: Principal, set_id: int, limit: int = 200) -> list[SetJob]:
        authz.require(self.database, principal, "read", set_id)
        rows = self.database.db().query(
            "SELECT j.*, s.original_name AS sample_name, c.name AS config_name, "
            "(julianday(coalesce(j.finished_at, strftime('%Y-%m-%dT%H:%M:%f', 'now'))) "
            "- julianday(j.started_at)) * 86400 AS seconds FROM jobs j "
            "LEFT JOIN samples s ON s.id = j.sample_id LEFT JOIN configs c ON c.id = j.config_id "
            "WHERE j.sample_set_id = ? OR (j.kind = 'analysis' AND j.sample_id IN "
            "(SELECT sample_id FROM set_samples WHERE sample_set_id = ?)) "
            "ORDER BY j.id DESC LIMIT ?",
            [set_id, set_id, limit],
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


def _last_status(db: sqlite_utils.Database, sample_id: int, config_id: int) -> str | None:
    row = db.execute(
        "SELECT status FROM jobs WHERE kind = 'analysis' AND sample_id = ? AND config_id = ? "
        "ORDER BY id DESC LIMIT 1",
        [sample_id, config_id],
    ).fetchone()
    return str(row[0]) if row else None


def _chosen_samples(
    db: sqlite_utils.Database, set_id: int, config_id: int, sample_ids: list[int] | None
) -> list[dict[str, Any]]:
    """The samples asked for (each checked), or by default every ready sample of the set that
    was never analysed with this config or whose last job failed or was cancelled."""
    samples = _set_samples(db, set_id)
    if sample_ids is None:
        return [
            sample
            for sample in samples
            if sample["status"] == "ready"
            and _last_status(db, sample["id"], config_id) in (None, *RELAUNCHABLE)
        ]
    by_id = {sample["id"]: sample for sample in samples}
    chosen = []
    for sample_id in dict.fromkeys(sample_ids):
        sample = by_id.get(sample_id)
        if sample is None:
            raise NotFound(f"no sample {sample_id} in sample set {set_id}", sample_id=sample_id)
        if sample["status"] != "ready":
            raise Conflict(
                f"sample {sample_id} is {sample['status']}, not ready to analyse",
                sample_id=sample_id,
                status=sample["status"],
            )
        if _last_status(db, sample_id, config_id) in ACTIVE:
            raise Conflict(
                f"sample {sample_id} already has a queued or running job for this config",
                sample_id=sample_id,
                config_id=config_id,
            )
        chosen.append(sample)
    return chosen


def sample_path(settings: Settings, sample: dict[str, Any]) -> Path:
    stored = sample.get("stored_name")
    if not stored:
        raise Conflict(f"sample {sample['id']} has no file", sample_id=sample["id"])
    return Path(stored) if sample.get("network") else settings.sequences_dir / str(stored)


def analysis_params(
    settings: Settings, config: configs.Config, sample: dict[str, Any], job_id: int
) -> dict[str, Any]:
    folder = f"{sample['id']}/{job_id}"
    return {
        "sample_id": sample["id"],
        "config_id": config.id,
        "config_name": config.name,
        "program": config.program,
        "germline": germlines.resolve_spec(settings, config.germline),
        "germline_name": config.germline,
        "options": config.options,
        "reads_path": str(sample_path(settings, sample)),
        "original_name": sample["original_name"],
        "folder": folder,
        "output_dir": str(settings.results_dir / folder),
        "results_dir": str(settings.results_dir),
    }


# -- in the job's child process -------------------------------------------------------------------
def base_name(original_name: str) -> str:
    """`patient-12.fastq.gz` -> `patient-12`; never a path (a user's name stays a name)."""
    name = Path(original_name.replace("\\", "/")).name
    for suffix in (".gz", ".fastq", ".fq", ".fasta", ".fa", ".vidjil", ".json", ".tsv"):
        name = name.removesuffix(suffix)
    return name.strip(". ") or "sample"


def run_analysis(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Job target: analyse (or import) one sample, write `.vidjil` and AIRR TSV, summarise."""
    try:
        result = _analysed(params, progress)
    except InputFormatError as error:  # name the user's file, not where the app stores it
        where = f"{error.path}:{error.line}: " if error.line is not None else f"{error.path}: "
        message = error.message.removeprefix(where)
        raise InputFormatError(message, params["original_name"], error.line) from None
    result.samples[0].original_name = params["original_name"]
    output = Path(params["output_dir"])
    output.mkdir(parents=True, exist_ok=True)
    name = base_name(params["original_name"])
    write_vidjil(result, output / f"{name}.vidjil")
    write_airr(result, output / f"{name}.tsv")
    if params["program"] != "import":  # imported results do not know their small windows
        write_window_counts(result, output / f"{name}.windows.tsv.gz")
    sample = result.samples[0]
    return {
        "reads": sample.total_reads,
        "segmented": sample.segmented_reads,
        "per_locus": sample.reads_per_locus,
        "clones": len(result.clones),
        "vidjil": f"{name}.vidjil",
        "airr": f"{name}.tsv",
        "program": params["program"],
        "germline": result.germline or params["germline_name"],
    }


def _analysed(params: dict[str, Any], progress: Progress) -> AnalysisResult:
    reads_path = Path(params["reads_path"])
    if params["program"] == "import":
        return import_result(reads_path)
    loaded = load_germline(params["germline"])
    return analyze(
        [reads_path],
        loaded.germline_set,
        AnalysisOptions(
            processes=1,  # the job system already runs worker_count jobs at once
            command_line=f"config {params['config_name']}: {json.dumps(params['options'])}",
            **params["options"],
        ),
        lambda done, total: progress(done / total if total else 1.0),
        germline_label=loaded.provenance,
    )


def import_result(path: Path) -> AnalysisResult:
    """A one-sample result made elsewhere: a `.vidjil` file or an AIRR rearrangement TSV."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputFormatError(f"cannot open: {error.strerror}", str(path)) from None
    if head.lstrip().startswith(b"{"):
        result = read_vidjil(path)
        if len(result.samples) != 1:
            count = len(result.samples)
            raise InputFormatError(
                f"an imported .vidjil must hold one sample, not {count}", str(path)
            )
        return result
    try:
        return read_airr_result(path, gzipped=head.startswith(GZIP_MAGIC))
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        raise InputFormatError(
            f"neither a .vidjil nor an AIRR TSV file ({error})", str(path)
        ) from None


def read_airr_result(path: Path, gzipped: bool = False) -> AnalysisResult:
    """An AIRR rearrangement TSV as a one-sample result; rows of one junction form one clone."""
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = {"sequence_id", "locus"} - set(reader.fieldnames or [])
        if missing:
            message = f"not an AIRR TSV file (no {', '.join(sorted(missing))} column)"
            raise InputFormatError(message, str(path), 1)
        clones: dict[str, CloneResult] = {}
        for line, row in enumerate(reader, start=2):
            _add_airr_row(clones, row, str(path), line)
    ranked = sorted(clones.values(), key=lambda clone: -clone.reads[0])
    for rank, clone in enumerate(ranked, start=1):
        clone.top = rank
    reads = sum(clone.reads[0] for clone in ranked)
    loci: dict[str, int] = {}
    for clone in ranked:
        loci[clone.locus] = loci.get(clone.locus, 0) + clone.reads[0]
    sample = SampleResult(path.name, reads, reads, loci, producer="AIRR import")
    return AnalysisResult([sample], ranked, "AIRR import")


def _add_airr_row(
    clones: dict[str, CloneResult], row: dict[str, str], where: str, line: int
) -> None:
    count_text = row.get("duplicate_count") or row.get("consensus_count") or "1"
    try:
        count = int(float(count_text))
    except ValueError:
        raise InputFormatError(
            f"duplicate_count {count_text!r} is not a number", where, line
        ) from None
    clone_id = row.get("junction") or row["sequence_id"]
    if clone_id in clones:
        clones[clone_id].reads[0] += count
        return
    sequence = row.get("sequence") or clone_id
    clones[clone_id] = CloneResult(
        clone_id=clone_id,
        locus=row["locus"],
        reads=[count],
        sequence=sequence,
        top=0,
        window_start=sequence.find(clone_id),
        designation=_airr_designation(row, sequence),
    )


def _airr_designation(row: dict[str, str], sequence: str) -> Designation:
    def gene(column: str) -> SegmentMatch | None:
        call = (row.get(column) or "").split(",")[0].strip()
        return SegmentMatch(call, -1, -1) if call else None

    junction = row.get("junction") or ""
    start = sequence.find(junction) if junction else -1
    productive = {"T": True, "TRUE": True, "F": False, "FALSE": False}.get(
        (row.get("productive") or "").upper()
    )
    return Designation(
        locus=row["locus"],
        v=gene("v_call"),
        d=gene("d_call"),
        j=gene("j_call"),
        junction_start=start,
        junction_end=start + len(junction) if start >= 0 else -1,
        junction=junction if start >= 0 else "",
        junction_aa=row.get("junction_aa") or "",
        productive=productive,
    )


def run_fuse(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Job target: fuse the latest result of each sample of a set into one `.vidjil`."""
    results_dir = Path(params["results_dir"])
    inputs = params["inputs"]
    documents = [result_files.load_document(results_dir / item["path"]) for item in inputs]
    samples = [
        fusing.FusedSample(
            sample_id=item["sample_id"],
            name=item["name"],
            sampling_date=item["sampling_date"],
            info=item["info"],
            result_id=item["result_id"],
        )
        for item in inputs
    ]
    document = fusing.fuse(documents, samples)
    document["sample_set_id"] = params["sample_set_id"]
    document["config"] = {"id": params["config_id"], "name": params["config_name"]}
    target = results_dir / params["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".partial")
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
    progress(1.0)
    return {"path": params["path"], "samples": len(inputs), "clones": len(document["clones"])}


# -- back in the app process: record what a job produced ---------------------------------------
def record_analysis(database: Database, job: job_records.Job, result: dict[str, Any]) -> None:
    """on_complete of `analysis`: a new `results` row (history kept), then a fuse per set."""
    params = job.params
    with database.write() as db:
        if db.execute("SELECT 1 FROM results WHERE job_id = ?", [job.id]).fetchone():
            return  # recorded before a crash left the job running: its re-run adds nothing
        user = db.execute("SELECT email FROM users WHERE id = ?", [job.user_id]).fetchone()
        actor = audit.Actor(job.user_id, user[0] if user else "")  # who launched it
        result_id = int(
            db.table("results")
            .insert(
                {
                    "sample_id": params["sample_id"],
                    "config_id": params["config_id"],
                    "job_id": job.id,
                    "created_at": now(),
                    "folder": params["folder"],
                    "summary": json.dumps(result),
                }
            )
            .last_pk
            or 0
        )
        audit.record(db, actor, "analysis_completed", "results", result_id, job_id=job.id)
        for set_id in _sets_of(db, params["sample_id"]):
            queue_fuse(db, Path(params["results_dir"]), set_id, params["config_id"], job.user_id)


def _sets_of(db: sqlite_utils.Database, sample_id: int) -> list[int]:
    rows = db.execute("SELECT sample_set_id FROM set_samples WHERE sample_id = ?", [sample_id])
    return [int(row[0]) for row in rows.fetchall()]


def latest_inputs(db: sqlite_utils.Database, set_id: int, config_id: int) -> list[dict[str, Any]]:
    """The latest result of each sample of the set for this config, in the set's sample order."""
    rows = db.query(
        "SELECT r.id AS result_id, r.folder, r.summary, s.id AS sample_id, s.original_name, "
        "s.sampling_date, s.info FROM set_samples ss JOIN samples s ON s.id = ss.sample_id "
        "JOIN results r ON r.id = (SELECT max(id) FROM results WHERE sample_id = s.id "
        "AND config_id = ?) WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
        [config_id, set_id],
    )
    return [
        {
            "result_id": row["result_id"],
            "sample_id": row["sample_id"],
            "name": row["original_name"],
            "sampling_date": row["sampling_date"],
            "info": row["info"],
            "path": f"{row['folder']}/{json.loads(row['summary'])['vidjil']}",
        }
        for row in rows
    ]


def queue_fuse(
    db: sqlite_utils.Database, results_dir: Path, set_id: int, config_id: int, user_id: int | None
) -> None:
    """Queue a `fuse` of the set's latest results (inside the caller's transaction); with no
    result left, the set's fused result goes (Vidjil does the same when results are deleted)."""
    inputs = latest_inputs(db, set_id, config_id)
    if not inputs:
        _drop_fused(db, results_dir, set_id, config_id)
        return
    config_name = db.execute("SELECT name FROM configs WHERE id = ?", [config_id]).fetchone()[0]
    params = {
        "sample_set_id": set_id,
        "config_id": config_id,
        "config_name": config_name,
        "inputs": inputs,
        "results_dir": str(results_dir),
        "path": f"fused/{set_id}/{config_id}/{uuid.uuid4().hex}.vidjil",
    }
    updated = db.execute(
        "UPDATE jobs SET params = ? WHERE kind = 'fuse' AND status = 'queued' "
        "AND sample_set_id = ? AND config_id = ?",
        [json.dumps(params), set_id, config_id],
    )
    if updated.rowcount:
        return  # a fuse still waiting now takes the newest inputs: one fuse, not one per sample
    db.table("jobs").insert(
        {
            "kind": "fuse",
            "params": json.dumps(params),
            "status": "queued",
            "created_at": now(),
            "user_id": user_id,
            "config_id": config_id,
            "sample_set_id": set_id,
        }
    )


def record_fuse(database: Database, job: job_records.Job, result: dict[str, Any]) -> None:
    """on_complete of `fuse`: the set's fused result, unless newer results made it stale (a later
    fuse job is queued for them; a stale file is removed)."""
    params = job.params
    results_dir = Path(params["results_dir"])
    used = [item["result_id"] for item in params["inputs"]]
    with database.write() as db:
        current = [item["result_id"] for item in latest_inputs(db, *_set_config(params))]
        if current != used:  # results or samples changed meanwhile: fuse again, keep nothing
            (results_dir / params["path"]).unlink(missing_ok=True)
            queue_fuse(db, results_dir, *_set_config(params), job.user_id)
            return
        old = db.execute(
            "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
            _set_config(params),
        ).fetchone()
        db.table("fused_results").upsert(
            {
                "sample_set_id": params["sample_set_id"],
                "config_id": params["config_id"],
                "path": params["path"],
                "result_ids": json.dumps(used),
                "updated_at": now(),
            },
            pk=("sample_set_id", "config_id"),
        )
    if old is not None and old[0] != params["path"]:
        (results_dir / old[0]).unlink(missing_ok=True)


def _drop_fused(db: sqlite_utils.Database, results_dir: Path, set_id: int, config_id: int) -> None:
    where = "WHERE sample_set_id = ? AND config_id = ?"
    old = db.execute(f"SELECT path FROM fused_results {where}", [set_id, config_id]).fetchone()
    if old is not None:
        db.execute(f"DELETE FROM fused_results {where}", [set_id, config_id])
        (results_dir / old[0]).unlink(missing_ok=True)


def _set_config(params: dict[str, Any]) -> tuple[int, int]:
    return int(params["sample_set_id"]), int(params["config_id"])
