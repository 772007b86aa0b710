"""The server's side of worker machines: it hands out jobs and takes their results back.

A worker takes a job id from the shared queue in Redis, then asks this server to `claim` it (a
lease, `db/leases.py`), fetches its input files (`input_file`, served with ranges by the API),
reports progress (`report`, which renews the lease and says whether to cancel), sends each result
file (`receive_output`, into a staging folder of its attempt) and ends with `complete` or `fail`
(or `release` when it stops). The server stays the only writer of its database and its folders:
on `complete` it moves the attempt's files into the job's output folder and records the result
with the job kind's own `record`, as for a job run here. Every call names the attempt it holds:
a worker that lost its lease can neither report nor complete, so a result is stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from vidjil_local import __version__
from vidjil_local.db import jobs as job_records
from vidjil_local.db import leases
from vidjil_local.db.job_files import JobFile, Shipment
from vidjil_local.errors import Conflict, NotFound, UsageError
from vidjil_local.jobs.broker import SHARED_ACTOR, SHARED_QUEUE, shown_url
from vidjil_local.jobs.child import Ending, Outcome
from vidjil_local.jobs.kinds import JobKind
from vidjil_local.services.disk import check_free_space
from vidjil_local.services.workers import registry

if TYPE_CHECKING:
    from vidjil_local.jobs.runtime import JobRuntime

STAGING = ".incoming"
HOLD_SECONDS = 600  # the lease while the server records a result: the sweep keeps off
OUTPUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
MAX_OUTPUTS = 20
BLOCK = 1024 * 1024
RELEASED = {"code": "interrupted", "message": "its worker machine stopped; it runs again"}


@dataclass(frozen=True)
class InputFile:
    index: int
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ClaimedJob:
    job_id: int
    attempt: int
    kind: str
    params: dict[str, Any]  # as stored here; `fields` become paths of the worker's job folder
    fields: dict[str, str]
    output_field: str
    inputs: list[InputFile]
    lease_seconds: int
    time_limit_seconds: int


@dataclass(frozen=True)
class Hello:
    worker_id: int
    name: str
    server_version: str
    redis_url: str
    namespace: str
    queue: str
    actor: str
    lease_seconds: int


class VersionRefused(Conflict):
    """A worker machine runs another vidjil-local version than the server."""

    code = "worker_version"


def check_version(worker_version: str) -> None:
    if worker_version != __version__:
        raise VersionRefused(
            f"this worker runs vidjil-local {worker_version or '(unknown)'} and the server "
            f"{__version__}: install {__version__} on the worker machine (results must not "
            "depend on the machine that made them)",
            worker_version=worker_version,
            server_version=__version__,
        )


class RemoteJobs:
    def __init__(self, runtime: JobRuntime) -> None:
        self.runtime = runtime

    @property
    def _lease(self) -> int:
        return self.runtime.settings.worker_lease_seconds

    def hello(self, worker_id: int) -> Hello:
        settings = self.runtime.settings
        if self.runtime.broker_kind != "redis":
            raise Conflict(
                "the server's job queue is the in-app one: worker machines need the server to "
                "use Redis (the redis_url setting), and Redis to answer when the server starts"
            )
        worker = registry.get(self.runtime.database, worker_id)
        return Hello(
            worker_id, worker.name, __version__, settings.worker_redis_url or settings.redis_url,
            self.runtime.namespace, SHARED_QUEUE, SHARED_ACTOR, self._lease,
        )  # fmt: skip

    def claim(self, worker_id: int, job_id: int) -> ClaimedJob | None:
        """The job for this worker, or None when it is not (or no longer) waiting."""
        shipping = [name for name, kind in self.runtime.kinds.items() if kind.ship is not None]
        job = leases.claim(self.runtime.database, job_id, worker_id, self._lease, shipping)
        if job is None:
            return None
        _clear_staging(self._staging_root(), job_id)
        shipment = self._shipment(job)
        inputs = [
            InputFile(index, file.name, file.size, file.sha256)
            for index, file in enumerate(shipment.files)
        ]
        return ClaimedJob(
            job.id, job.attempts, job.kind, job.params, shipment.fields, shipment.output_field,
            inputs, self._lease, self.runtime.settings.job_time_limit,
        )  # fmt: skip

    def input_file(self, worker_id: int, job_id: int, attempt: int, index: int) -> JobFile:
        job = self._held(worker_id, job_id, attempt)
        files = self._shipment(job).files
        if not 0 <= index < len(files):
            raise NotFound(f"job {job_id} has no input file {index}", index=index)
        return files[index]

    def report(self, worker_id: int, job_id: int, attempt: int, progress: float | None) -> bool:
        """Renew the lease and note the progress; whether the job's cancel was asked."""
        database = self.runtime.database
        return leases.renew(database, job_id, worker_id, attempt, self._lease, progress)

    async def receive_output(
        self,
        worker_id: int,
        job_id: int,
        attempt: int,
        name: str,
        *,
        chunks: AsyncIterator[bytes],
        length: int | None,
        sha256: str,
    ) -> None:
        """Write one result file of the attempt into its staging folder, checked by SHA-256."""
        if not OUTPUT_NAME.match(name):
            raise UsageError(f"{name!r} is not a result file name")
        await anyio.to_thread.run_sync(self.report, worker_id, job_id, attempt, None)
        folder = self._staging_root() / f"{job_id}-{attempt}"
        await anyio.to_thread.run_sync(self._prepare_staging, folder, length)
        part = folder / f"{name}.part"
        digest = hashlib.sha256()
        async with await anyio.open_file(part, "wb") as handle:
            async for chunk in chunks:
                digest.update(chunk)
                await handle.write(chunk)
        if digest.hexdigest() != sha256.lower():
            part.unlink(missing_ok=True)
            raise UsageError(f"{name} arrived with another SHA-256 than announced: send it again")
        os.replace(part, folder / name)

    def complete(self, worker_id: int, job_id: int, attempt: int, result: dict[str, Any]) -> None:
        """Move the attempt's files in place and record the result, as for a job run here."""
        database = self.runtime.database
        leases.renew(database, job_id, worker_id, attempt, HOLD_SECONDS)
        job = job_records.get(database, job_id)
        kind = self._kind(job)
        destination = Path(getattr(kind.params.from_stored(job.params), self._output_field(job)))
        _move_files(self._staging_root() / f"{job_id}-{attempt}", destination)
        outcome, follow_ups = self.runtime.complete(kind, job, Outcome(Ending.COMPLETED, result))
        self.runtime.record(job, outcome)
        if outcome.status is Ending.COMPLETED:
            with database.write() as db:
                registry.count_done(db, worker_id)
        for follow_up in follow_ups:
            self.runtime.enqueue(follow_up)

    def fail(
        self, worker_id: int, job_id: int, attempt: int, ending: Ending, error: dict[str, Any]
    ) -> None:
        """A run that ended otherwise: failed (not retried), crashed (retried while attempts
        remain), cancelled or timed out."""
        if ending is Ending.COMPLETED:
            raise UsageError("a completed job is sent with complete, not fail")
        self.report(worker_id, job_id, attempt, None)
        _clear_staging(self._staging_root(), job_id)
        job = job_records.get(self.runtime.database, job_id)
        self.runtime.record(job, Outcome(ending, error={**error, "worker_id": worker_id}))

    def release(self, worker_id: int, job_id: int, attempt: int) -> None:
        """The worker stops: the job goes back to the queue at once, its attempt not counted."""
        self.report(worker_id, job_id, attempt, None)
        _clear_staging(self._staging_root(), job_id)
        if leases.release(self.runtime.database, job_id, worker_id, RELEASED):
            self.runtime.enqueue(job_id)

    def describe_queue(self) -> str:
        return shown_url(self.runtime.settings.redis_url)

    # -- helpers --------------------------------------------------------------------------------
    def _held(self, worker_id: int, job_id: int, attempt: int) -> job_records.Job:
        job = job_records.get(self.runtime.database, job_id)
        status = job.status
        if status != "running" or job.worker_id != worker_id or job.attempts != attempt:
            raise leases.LeaseLost(f"job {job_id} is no longer held by this worker", job_id=job_id)
        return job

    def _kind(self, job: job_records.Job) -> JobKind[Any]:
        kind = self.runtime.kinds.get(job.kind)
        if kind is None or kind.ship is None:
            raise Conflict(f"job {job.id} ({job.kind}) does not run on worker machines")
        return kind

    def _shipment(self, job: job_records.Job) -> Shipment:
        kind = self._kind(job)
        assert kind.ship is not None
        params = kind.params.from_stored(job.params)
        return kind.ship(self.runtime.database, self.runtime.settings, params)

    def _output_field(self, job: job_records.Job) -> str:
        return self._shipment(job).output_field

    def _staging_root(self) -> Path:
        return self.runtime.settings.results_dir / STAGING

    def _prepare_staging(self, folder: Path, length: int | None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if len(list(folder.iterdir())) >= MAX_OUTPUTS:
            raise UsageError(f"a job sends back at most {MAX_OUTPUTS} files")
        check_free_space(self.runtime.settings, length or 0)


def _move_files(staging: Path, destination: Path) -> None:
    """Every file of the attempt into the job's output folder (a rename: same disk)."""
    destination.mkdir(parents=True, exist_ok=True)
    if staging.is_dir():
        for path in sorted(staging.iterdir()):
            if path.is_file() and not path.name.endswith(".part"):
                os.replace(path, destination / path.name)
        shutil.rmtree(staging, ignore_errors=True)


def _clear_staging(root: Path, job_id: int) -> None:
    if root.is_dir():
        for folder in root.glob(f"{job_id}-*"):
            shutil.rmtree(folder, ignore_errors=True)
