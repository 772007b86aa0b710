"""The in-app job system: a Dramatiq broker and worker threads, each running one job at a time
in its own spawned process, over the `jobs` table that is the source of truth.

Lifecycle: `start()` declares the actors on the chosen broker (no import-time side effects, no
global broker), emits `process_boot` (without it Dramatiq's TimeLimit thread never starts), starts
the worker threads and re-enqueues what the last run left queued or running. `stop()` stops the
worker; running children are killed by their supervisors and their jobs queued again, to run at the
next start (a kill -9 leaves them running: `recover` queues them at the next start).

A job whose kind can travel (`JobKind.ship`) goes to the shared queue, which worker machines take
from too (`jobs/remote_server.py` serves them); the others stay on this app's queue. The sweep
sends queued jobs that lack a message, puts back in the queue the jobs of worker machines whose
lease expired, and watches Redis (`jobs/queue_watch.py`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import dramatiq

from vidjil_local.db import Database, leases
from vidjil_local.db import jobs as job_records
from vidjil_local.db.jobs import JobParams, JobStatus
from vidjil_local.errors import UsageError, VidjilError
from vidjil_local.jobs.broker import (
    LOCAL_ACTOR,
    LOCAL_QUEUE,
    SHARED_ACTOR,
    SHARED_QUEUE,
    BrokerChoice,
    choose_broker,
)
from vidjil_local.jobs.child import Ending, Outcome, run_in_child
from vidjil_local.jobs.cores import CoreBudget
from vidjil_local.jobs.kinds import JOB_KINDS, JobKind
from vidjil_local.jobs.queue_watch import QueueState, QueueWatch
from vidjil_local.services.workers.registry import install_id
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
QUEUE = LOCAL_QUEUE
CANCEL_CHECK_SECONDS = 0.5
RETRY_DELAY_MS = 2000
SWEEP_SECONDS = 2.0
FINAL = {  # how a child's ending is recorded; a crash is retried while attempts remain
    Ending.COMPLETED: JobStatus.COMPLETED,
    Ending.FAILED: JobStatus.FAILED,
    Ending.CANCELLED: JobStatus.CANCELLED,
    Ending.TIMEOUT: JobStatus.FAILED,
}
INTERRUPTED = {
    "code": "interrupted",
    "message": "vidjil-local stopped; the job runs at the next start",
}
# told of each job's final state: (the job as claimed, its error, whether it was given up: a
# crash after the last retry or a result that could not be recorded, a server-side failure)
JobEndListener = Callable[[job_records.Job, dict[str, Any] | None, bool], None]


class JobRuntime:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        extra_kinds: Mapping[str, JobKind[Any]] | None = None,
    ) -> None:
        self.settings = settings
        self.database = database
        self.kinds = {**JOB_KINDS, **(extra_kinds or {})}
        self.choice: BrokerChoice | None = None
        self.worker: dramatiq.Worker | None = None
        self._actors: dict[str, dramatiq.Actor[..., None]] = {}
        self.watch = QueueWatch("stopped")
        self.namespace = ""
        self._stopping = threading.Event()
        self._sent: set[int] = set()  # queued ids with a message in flight
        self._sent_lock = threading.Lock()
        self._sweeper: threading.Thread | None = None
        self.on_job_end: JobEndListener | None = None
        self.cores = CoreBudget(settings.worker_count)  # shared by the jobs running here

    @property
    def broker_kind(self) -> str:
        return self.choice.kind if self.choice else "stopped"

    def start(self) -> None:
        self.namespace = f"vidjil-{install_id(self.database)}"
        self.choice = choose_broker(self.settings.redis_url, self.namespace)
        broker = self.choice.broker
        client = getattr(broker, "client", None) if self.choice.kind == "redis" else None
        self.watch = QueueWatch(self.choice.kind, self.settings.redis_url, client)
        for actor_name, queue_name in ((LOCAL_ACTOR, LOCAL_QUEUE), (SHARED_ACTOR, SHARED_QUEUE)):
            self._actors[queue_name] = dramatiq.Actor(
                self._run_message,
                broker=broker,
                actor_name=actor_name,
                queue_name=queue_name,
                priority=0,
                # a backstop behind the runner's own limit, which kills the job's process
                options={"time_limit": (self.settings.job_time_limit + 300) * 1000},
            )
        broker.emit_after("process_boot")
        count = self.settings.worker_count
        # no prefetch beyond the threads: a message this app holds is one a worker machine waits for
        self.worker = dramatiq.Worker(broker, worker_threads=count, worker_timeout=100)
        self.worker.queue_prefetch = count
        self.worker.start()
        leases.extend_all(self.database, self.settings.worker_lease_seconds)
        recovered = job_records.recover(self.database)
        self._relocate(recovered)
        for job_id in recovered:
            self.enqueue(job_id)
        if recovered:
            log.info("re-enqueued %d unfinished job(s): %s", len(recovered), recovered)
        self._sweeper = threading.Thread(target=self._sweep, name="job-sweeper", daemon=True)
        self._sweeper.start()

    def _relocate(self, job_ids: list[int]) -> None:
        """Queued jobs' paths made from this start's settings (`JobKind.relocate`)."""
        for job_id in job_ids:
            job = job_records.get(self.database, job_id)
            kind = self.kinds.get(job.kind)
            if kind is None or kind.relocate is None:
                continue
            try:
                stored = kind.params.from_stored(job.params)
            except VidjilError:  # bad parameters: the job fails with them when it runs
                continue
            fresh = kind.relocate(self.database, self.settings, stored)
            if fresh != stored:
                log.info("job %d: its paths follow this data folder's settings", job_id)
                job_records.set_queued_params(self.database, job_id, fresh)

    def stop(self) -> None:
        self._stopping.set()
        if self._sweeper is not None:
            self._sweeper.join(timeout=5)
        if self.worker is not None:
            self.worker.stop(timeout=10_000)
            self.worker = None
        if self.choice is not None:
            self.choice.broker.close()

    def queue_state(self) -> QueueState:
        return self.watch.state()

    def enqueue(self, job_id: int, delay_ms: int | None = None) -> None:
        """Send the job's id to its queue; while the queue does not answer, the job waits as
        queued and the sweep sends it when it answers again."""
        if not self._actors:
            raise RuntimeError("the job runtime is not started")
        with self._sent_lock:
            self._sent.add(job_id)
        if not self.watch.answering:
            self._forget(job_id)
            return
        try:
            actor = self._actors[self._queue_of(job_id)]
            actor.send_with_options(args=(job_id,), delay=delay_ms)
        except Exception as error:  # the broker's connection errors: Redis went away
            self._forget(job_id)
            self.watch.failed(error)

    def _queue_of(self, job_id: int) -> str:
        kind = self.kinds.get(job_records.get(self.database, job_id).kind)
        return SHARED_QUEUE if kind is not None and kind.ship is not None else LOCAL_QUEUE

    def _forget(self, job_id: int) -> None:
        with self._sent_lock:
            self._sent.discard(job_id)

    def _sweep(self) -> None:
        """Send the queued jobs that have no message: rows written by another process (the CLI,
        a second app on the same data dir) or a message lost by the broker; take back the jobs
        of worker machines that stopped reporting; watch the queue."""
        while not self._stopping.wait(SWEEP_SECONDS):
            try:
                self._sweep_once()
            except Exception:  # the database may be busy or closing; try again next round
                log.debug("job sweep failed", exc_info=True)

    def _sweep_once(self) -> None:
        if self.watch.check():
            with self._sent_lock:
                self._sent.clear()
        for job in leases.expired(self.database):
            retry = job.attempts <= self.settings.job_max_retries
            if leases.take_back(self.database, job.id, retry=retry) and retry:
                log.warning("job %d: its worker machine stopped reporting; queued again", job.id)
                self.enqueue(job.id)
        queued = job_records.queued_ids(self.database)
        with self._sent_lock:
            missing = [job_id for job_id in queued if job_id not in self._sent]
        for job_id in missing:
            self.enqueue(job_id)

    def submit(self, kind: str, params: JobParams, **links: int | None) -> job_records.Job:
        """Queue a job; `links`: user_id, sample_id, config_id, sample_set_id of the jobs table."""
        if kind not in self.kinds:
            raise UsageError(f"unknown job kind {kind!r}", kind=kind)
        expected = self.kinds[kind].params
        if not isinstance(params, expected):
            raise TypeError(f"a {kind} job takes {expected.__name__}, not {type(params).__name__}")
        return job_records.submit(self.database, self.enqueue, kind, params, **links)

    def queue_depth(self) -> dict[str, int]:
        return job_records.queue_depth(self.database)

    # -- what a worker thread does with one message --------------------------------------------
    def _run_message(self, job_id: int) -> None:
        with self._sent_lock:
            self._sent.discard(job_id)
        job = job_records.claim(self.database, job_id)
        if job is None:  # a duplicate message, or cancelled while queued
            return
        kind = self.kinds.get(job.kind)
        if kind is None:
            error = {"code": "unknown_kind", "message": f"no such job kind {job.kind!r}"}
            job_records.finish(self.database, job_id, JobStatus.FAILED, error=error)
            return
        self.cores.join(job_id, parallel=kind.parallel)
        try:
            outcome = run_in_child(
                kind.work,
                kind.params,
                job.params,
                on_progress=self._progress_writer(job_id),
                time_limit=self.settings.job_time_limit,
                cores=lambda: self.cores.share(job_id),
                niceness=self.settings.job_niceness,
            )
        finally:
            self.cores.leave(job_id)
        follow_ups: list[int] = []
        if outcome.status is Ending.COMPLETED and kind.record is not None:
            outcome, follow_ups = self.complete(kind, job, outcome)
        self.record(job, outcome)
        for follow_up in follow_ups:  # committed by `record`: sent now, not at the next sweep
            self.enqueue(follow_up)

    def complete(
        self, kind: JobKind[Any], job: job_records.Job, outcome: Outcome
    ) -> tuple[Outcome, list[int]]:
        """Record the job's result in the app process; the jobs it queued are returned."""
        assert kind.record is not None
        try:
            params = kind.params.from_stored(job.params)
            queued = kind.record(self.database, job, params, outcome.result or {})
        except Exception as error:
            log.exception("job %d: recording its result failed", job.id)
            message = getattr(error, "message", None) or f"recording the result failed: {error}"
            return Outcome(Ending.FAILED, error={"code": "on_complete", "message": message}), []
        return outcome, queued

    def _progress_writer(self, job_id: int) -> Callable[[float], bool]:
        """Write progress, and read the cancel flag, at most every CANCEL_CHECK_SECONDS each.

        Called with a fraction when the child reports progress, with -1 when it is quiet.
        """
        last_write = last_read = 0.0
        cancel = False

        def on_progress(fraction: float) -> bool:
            nonlocal last_write, last_read, cancel
            if self._stopping.is_set():
                return True
            moment = time.monotonic()
            if fraction >= 0 and moment - last_write >= CANCEL_CHECK_SECONDS:
                last_write = last_read = moment
                cancel = job_records.set_progress(self.database, job_id, fraction)
            elif moment - last_read >= CANCEL_CHECK_SECONDS:
                last_read = moment
                cancel = job_records.get(self.database, job_id).cancel_requested
            return cancel

        return on_progress

    def record(self, job: job_records.Job, outcome: Outcome) -> None:
        """Store how a run ended; a crash goes back to the queue while attempts remain."""
        if self._stopping.is_set() and outcome.status is Ending.CANCELLED:
            # the app stops (quit, logout, SIGTERM): the job runs again at the next start
            job_records.requeue(self.database, job.id, INTERRUPTED)
            return
        if outcome.status is Ending.CRASHED:
            trace = (outcome.error or {}).get("traceback", "")
            log.error("job %d (%s) crashed:\n%s", job.id, job.kind, trace)
        if outcome.status in FINAL:
            job_records.finish(
                self.database, job.id, FINAL[outcome.status], result=outcome.result,
                error=outcome.error,
            )  # fmt: skip
            recording_failed = (outcome.error or {}).get("code") == "on_complete"
            self._tell_end(job, outcome.error, gave_up=recording_failed)
        elif job.attempts <= self.settings.job_max_retries:
            log.warning("job %d crashed (attempt %d), retrying", job.id, job.attempts)
            job_records.requeue(self.database, job.id, outcome.error or {})
            self.enqueue(job.id, delay_ms=RETRY_DELAY_MS * job.attempts)
        else:
            log.error("job %d crashed on its last attempt (%d): %s", job.id, job.attempts,
                      (outcome.error or {}).get("message"))  # fmt: skip
            job_records.finish(self.database, job.id, JobStatus.FAILED, error=outcome.error)
            self._tell_end(job, outcome.error, gave_up=True)

    def _tell_end(self, job: job_records.Job, error: dict[str, Any] | None, gave_up: bool) -> None:
        if self.on_job_end is None:
            return
        try:
            self.on_job_end(job, error, gave_up)
        except Exception:  # telling must never undo or block the job's recorded end
            log.exception("job %d: announcing its end failed", job.id)
