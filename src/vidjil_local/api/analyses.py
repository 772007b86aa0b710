"""Launching analyses and following their jobs: `/api/sample-sets/{id}/analyses`, `.../jobs`,
`/api/jobs/{id}/cancel` and `/api/jobs/{id}/rerun` (each needs the `run` right on the set), and
`/api/jobs`, the jobs a user launched ("my jobs")."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, Limit, PathId
from vidjil_local.api.set_labels import set_label
from vidjil_local.db.jobs import Job as JobRecord
from vidjil_local.services import audit
from vidjil_local.services.analyses.launch import Analyses, SetJob
from vidjil_local.services.authz import Principal


class AnalysisLaunch(msgspec.Struct, forbid_unknown_fields=True):
    config_id: Id
    sample_ids: list[Id] | None = None  # default: the set's ready samples not yet analysed


class Job(msgspec.Struct):
    id: int
    kind: str
    status: str  # queued, running, completed, failed, cancelled
    progress: float
    attempts: int
    cancel_requested: bool
    created_at: str
    started_at: str | None
    finished_at: str | None
    seconds: float | None  # running time so far, or until it finished
    error: str | None  # a readable message when it failed
    result: dict[str, Any] | None
    sample_id: int | None
    sample_name: str | None
    config_id: int | None
    config_name: str | None
    sample_set_id: int | None
    user_id: int | None
    sample_set_name: str | None = None  # in "my jobs": the patient (or pseudonym), run or set


def job_view(record: JobRecord, set_job: SetJob | None = None) -> Job:
    error = record.error.get("message") if record.error else None
    return Job(
        id=record.id,
        kind=record.kind,
        status=record.status,
        progress=record.progress,
        attempts=record.attempts,
        cancel_requested=record.cancel_requested,
        created_at=record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        seconds=set_job.seconds if set_job else None,
        error=str(error) if error is not None else None,
        result=record.result,
        sample_id=record.sample_id,
        sample_name=set_job.sample_name if set_job else None,
        config_id=record.config_id,
        config_name=set_job.config_name if set_job else None,
        sample_set_id=record.sample_set_id,
        user_id=record.user_id,
    )


def analyses_of(context: NamedDependency[AppContext]) -> Analyses:
    enqueue = context.runtime.enqueue if context.runtime is not None else None
    return Analyses(context.database, context.settings, enqueue)


ANALYSES = {"analyses": Provide(analyses_of, sync_to_thread=False)}


class SetAnalysesController(Controller):
    path = "/api/sample-sets/{set_id:int}"
    tags = ("analyses",)
    dependencies = ANALYSES

    @post("/analyses", operation_id="launchAnalyses", sync_to_thread=True, status_code=201)
    def launch(
        self,
        analyses: NamedDependency[Analyses],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[AnalysisLaunch],
    ) -> list[Job]:
        """One job per sample; 409 when a sample already has this config queued or running."""
        launched = analyses.launch(principal, actor, set_id, data.config_id, data.sample_ids)
        return [job_view(job) for job in launched]

    @get("/jobs", operation_id="listSetJobs", sync_to_thread=True)
    def jobs(
        self,
        analyses: NamedDependency[Analyses],
        principal: NamedDependency[Principal],
        set_id: PathId,
        limit: Limit = 200,
    ) -> list[Job]:
        set_jobs = analyses.set_jobs(principal, set_id, min(max(limit, 1), 1000))
        return [job_view(item.job, item) for item in set_jobs]


class JobsController(Controller):
    path = "/api/jobs"
    tags = ("analyses",)
    dependencies = ANALYSES

    @get("/", operation_id="listMyJobs", sync_to_thread=True)
    def mine(
        self,
        context: NamedDependency[AppContext],
        analyses: NamedDependency[Analyses],
        principal: NamedDependency[Principal],
        limit: Limit = 100,
        active: FromQuery[bool] = False,
    ) -> list[Job]:
        """The jobs you launched, newest first (`active=true`: only queued and running ones), on
        the sets you may still read."""
        found = analyses.my_jobs(principal, limit=min(max(limit, 1), 1000), active_only=active)
        set_ids = {item.job.sample_set_id for item in found if item.job.sample_set_id}
        names = {set_id: set_label(context.database, principal, set_id) for set_id in set_ids}
        return [
            msgspec.structs.replace(
                job_view(item.job, item), sample_set_name=names.get(item.job.sample_set_id or 0)
            )
            for item in found
        ]

    @post("/{job_id:int}/cancel", operation_id="cancelJob", sync_to_thread=True, status_code=200)
    def cancel(
        self,
        analyses: NamedDependency[Analyses],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        job_id: PathId,
    ) -> Job:
        return job_view(analyses.cancel(principal, actor, job_id))

    @post("/{job_id:int}/rerun", operation_id="rerunJob", sync_to_thread=True, status_code=201)
    def rerun(
        self,
        analyses: NamedDependency[Analyses],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        job_id: PathId,
    ) -> Job:
        """A new job for the same sample and config; the earlier results stay."""
        return job_view(analyses.rerun(principal, actor, job_id))
