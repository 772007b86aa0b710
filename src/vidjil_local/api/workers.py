"""Worker machines: administrators make, list and revoke their tokens (`/api/admin/workers`,
with the queue and the server's network address); workers take jobs (`/api/worker/...`).

A worker authenticates every request with `Authorization: Bearer <token>` and says its
version in `X-Vidjil-Version` (refused unless it is the server's); these routes use no cookie,
so they need no CSRF token. Inputs are served with byte ranges, so an interrupted download
resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import msgspec
from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter
from litestar.response import Stream

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import MAX_ID, PathId
from vidjil_local.api.request_body import body_chunks
from vidjil_local.errors import Conflict, NotAuthenticated
from vidjil_local.jobs.child import Ending
from vidjil_local.jobs.queue_watch import QueueState
from vidjil_local.jobs.remote_server import ClaimedJob, Hello, RemoteJobs, check_version
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.network.status import NetworkStatus, network_status
from vidjil_local.services.workers import queue, registry

BLOCK = 1024 * 1024
MAX_OUTPUT_BYTES = 64 * 1024**3
MAX_RESULT_BYTES = 1024**2
Attempt = Annotated[int, msgspec.Meta(ge=0, le=MAX_ID)]  # in a JSON body
QueryAttempt = Annotated[int, QueryParameter(ge=0, le=MAX_ID)]
InputIndex = Annotated[int, PathParameter(ge=0, le=MAX_ID)]


class WorkerCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str


class WorkerCreated(msgspec.Struct):
    worker: registry.Worker
    token: str  # shown once: the server keeps only its hash


class WorkersPage(msgspec.Struct):
    workers: list[registry.Worker]
    jobs: list[queue.QueuedJob]
    queue: QueueState | None  # None: the job system is not running in this server
    network: NetworkStatus


class Progress(msgspec.Struct, forbid_unknown_fields=True):
    attempt: Attempt
    progress: float | None = None


class ProgressAnswer(msgspec.Struct):
    cancel: bool


class Completion(msgspec.Struct, forbid_unknown_fields=True):
    attempt: Attempt
    result: dict[str, object]


class Failure(msgspec.Struct, forbid_unknown_fields=True):
    attempt: Attempt
    ending: str  # failed, crashed, cancelled or timeout
    error: dict[str, object]


class Release(msgspec.Struct, forbid_unknown_fields=True):
    attempt: Attempt


class WorkersAdminController(Controller):
    path = "/api/admin/workers"
    tags = ("workers",)

    @get("/", operation_id="listWorkers", sync_to_thread=True)
    def list_workers(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> WorkersPage:
        """Worker machines, the jobs waiting and running (and where), and how the lab network
        reaches this server (its HTTPS address and certificate fingerprint)."""
        return WorkersPage(
            registry.list_workers(context.database),
            queue.waiting_and_running(context.database),
            context.runtime.queue_state() if context.runtime is not None else None,
            network_status(context.settings, context.network_port),
        )

    @post("/", operation_id="createWorker", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[WorkerCreate],
    ) -> WorkerCreated:
        """A worker machine's token, shown this once."""
        made = registry.create(context.database, actor, data.name)
        return WorkerCreated(made.worker, made.token)

    @post("/{worker_id:int}/revoke", operation_id="revokeWorker", sync_to_thread=True)
    def revoke(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        worker_id: PathId,
    ) -> registry.Worker:
        """Refuse the worker's token from its next request on."""
        return registry.revoke(context.database, actor, worker_id)


def provide_worker(request: Request[Any, Any, Any], context: NamedDependency[AppContext]) -> int:
    """The worker calling (its token checked, its version the server's), noted as seen."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("a worker request carries 'Authorization: Bearer <token>'")
    worker_id = registry.authenticate(context.database, token)
    check_version(request.headers.get("x-vidjil-version", ""))
    cores = request.headers.get("x-vidjil-cores", "0")
    seen = registry.Seen(
        host=request.headers.get("x-vidjil-host", ""),
        version=request.headers.get("x-vidjil-version", ""),
        cores=int(cores) if cores.isdigit() else 0,
        address=request.client.host if request.client else "",
    )
    registry.seen(context.database, worker_id, seen)
    return worker_id


def _remote(context: AppContext) -> RemoteJobs:
    if context.runtime is None:
        raise Conflict("the job system is not running in this server")
    return RemoteJobs(context.runtime)


class WorkerController(Controller):
    """What a worker machine asks of the server."""

    path = "/api/worker"
    tags = ("worker machines",)
    opt = {"exclude_from_csrf": True}  # noqa: RUF012  (a bearer token, no cookie)
    dependencies = {"worker": Provide(provide_worker, sync_to_thread=True)}  # noqa: RUF012

    @get("/hello", operation_id="workerHello", sync_to_thread=True)
    def hello(self, context: NamedDependency[AppContext], worker: NamedDependency[int]) -> Hello:
        """Where the job queue is, and the server's version and lease."""
        return _remote(context).hello(worker)

    @post("/jobs/{job_id:int}/claim", operation_id="workerClaim", sync_to_thread=True)
    def claim(
        self,
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
    ) -> ClaimedJob:
        """Take a queued job: its parameters, its input files and the lease (409 when another
        worker took it, or it was cancelled)."""
        claimed = _remote(context).claim(worker, job_id)
        if claimed is None:
            raise Conflict(f"job {job_id} is not waiting any more", job_id=job_id)
        return claimed

    @get("/jobs/{job_id:int}/inputs/{index:int}", operation_id="workerInput")
    async def input_file(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        index: InputIndex,
        attempt: QueryAttempt,
    ) -> Stream:
        """An input file of the job, whole or from `Range: bytes=START-`; its SHA-256 in
        `X-Content-SHA256`."""
        remote = _remote(context)
        file = await anyio.to_thread.run_sync(remote.input_file, worker, job_id, attempt, index)
        start = _range_start(request.headers.get("range"), file.size)
        headers = {
            "accept-ranges": "bytes",
            "content-length": str(file.size - start),
            "x-content-sha256": file.sha256,
        }
        if start:
            headers["content-range"] = f"bytes {start}-{file.size - 1}/{file.size}"
        return Stream(
            _read_from(file.path, start),
            media_type="application/octet-stream",
            headers=headers,
            status_code=206 if start else 200,
        )

    @post("/jobs/{job_id:int}/progress", operation_id="workerProgress", sync_to_thread=True)
    def progress(
        self,
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        data: JSONBody[Progress],
    ) -> ProgressAnswer:
        """Renew the lease (and note progress); `cancel` asks the worker to stop the job."""
        return ProgressAnswer(_remote(context).report(worker, job_id, data.attempt, data.progress))

    @put(
        "/jobs/{job_id:int}/outputs/{name:str}",
        operation_id="workerOutput",
        request_max_body_size=MAX_OUTPUT_BYTES,
        status_code=204,
    )
    async def output(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        name: FromPath[str],
        attempt: QueryAttempt,
        sha256: FromQuery[str],
    ) -> None:
        """One result file of the job, checked against `sha256`."""
        await _remote(context).receive_output(
            worker, job_id, attempt, name, chunks=body_chunks(request),
            length=request.content_length, sha256=sha256,
        )  # fmt: skip

    @post(
        "/jobs/{job_id:int}/complete",
        operation_id="workerComplete",
        sync_to_thread=True,
        status_code=204,
        request_max_body_size=MAX_RESULT_BYTES,
    )
    def complete(
        self,
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        data: JSONBody[Completion],
    ) -> None:
        """The job is done: its files (sent before) and its result are recorded."""
        _remote(context).complete(worker, job_id, data.attempt, dict(data.result))

    @post(
        "/jobs/{job_id:int}/fail",
        operation_id="workerFail",
        sync_to_thread=True,
        status_code=204,
        request_max_body_size=MAX_RESULT_BYTES,
    )
    def fail(
        self,
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        data: JSONBody[Failure],
    ) -> None:
        """The job ended otherwise: failed, crashed (tried again while attempts remain),
        cancelled or timed out."""
        try:
            ending = Ending(data.ending)
        except ValueError:
            raise Conflict(f"{data.ending!r} is not how a job ends") from None
        _remote(context).fail(worker, job_id, data.attempt, ending, dict(data.error))

    @post("/jobs/{job_id:int}/release", operation_id="workerRelease", sync_to_thread=True)
    def release(
        self,
        context: NamedDependency[AppContext],
        worker: NamedDependency[int],
        job_id: PathId,
        data: JSONBody[Release],
    ) -> None:
        """The worker stops: the job goes back to the queue now."""
        _remote(context).release(worker, job_id, data.attempt)


def _range_start(header: str | None, size: int) -> int:
    """The start of `bytes=START-` (the one form workers send); 0 for anything else."""
    if not header or not header.startswith("bytes=") or not header.endswith("-"):
        return 0
    start = header[len("bytes=") : -1]
    if not (start.isascii() and start.isdigit()) or len(start) > 15:  # no '²', no 5,000 digits
        return 0
    return int(start) if int(start) < size else 0


async def _read_from(path: Path, start: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(str(path), "rb") as handle:
        await handle.seek(start)
        while block := await handle.read(BLOCK):
            yield block
