"""`vidjil-local worker`: another machine of the lab running the server's analyses.

It asks the server where its job queue is (`hello`: the Redis URL and the installation's
namespace, given only for a valid token), takes job ids from the shared queue in Redis like the
app's own workers, and for each: claims it from the server (a lease), fetches its inputs into a
folder of its own, runs the job kind's work in a child process with its share of this machine's
cores (`jobs/cores.py`, as in the app), reports progress (which renews the lease and brings back
a cancel), sends the result files and the result. It writes nothing of the server's: the server
records the result. Stopped (Ctrl-C, SIGTERM), it releases the jobs it holds back to the queue;
killed, its jobs go back to the queue when their lease expires (`db/leases.py`). Idle, it says
hello to the server every lease (at most 30 s), so a revoked token stops it then.
"""

from __future__ import annotations

import logging
import shutil
import signal
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import dramatiq
import httpx

from vidjil_local.errors import VidjilError
from vidjil_local.jobs.broker import redis_broker
from vidjil_local.jobs.child import Ending, Outcome, run_in_child
from vidjil_local.jobs.cores import CoreBudget
from vidjil_local.jobs.kinds import JOB_KINDS
from vidjil_local.jobs.worker_client import LeaseGone, ServerClient, ServerRefused

log = logging.getLogger(__name__)
JOBS_FOLDER = "jobs"
HEARTBEAT_SECONDS = 30
PATIENCE_SECONDS = 600  # a result waits this long for a server that restarts
RETRY_SECONDS = 2
T = TypeVar("T")


class WorkerMachine:
    def __init__(
        self, client: ServerClient, data_dir: Path, cores: int, jobs: int, niceness: int = 10
    ) -> None:
        self.client = client
        self.niceness = niceness
        self.data_dir = data_dir
        self.cores = CoreBudget(cores)
        self.jobs = max(1, min(jobs, cores))
        self.stopping = threading.Event()
        self.refused: ServerRefused | None = None
        self.held: dict[int, int] = {}  # job id -> attempt, while running here
        self._held_lock = threading.Lock()
        self.lease_seconds = 60
        self.done = 0
        self.actor: dramatiq.Actor[..., None] | None = None

    def run(self, install_signals: bool = True) -> int:
        hello = self.client.hello()
        self.lease_seconds = int(hello["lease_seconds"])
        broker = redis_broker(str(hello["redis_url"]), str(hello["namespace"]))
        self.actor = dramatiq.Actor(
            self._run_message, broker=broker, actor_name=str(hello["actor"]),
            queue_name=str(hello["queue"]), priority=0,
            options={"time_limit": 7 * 24 * 3600 * 1000},  # the server's own limit applies
        )  # fmt: skip
        broker.emit_after("process_boot")
        worker = dramatiq.Worker(broker, worker_threads=self.jobs, worker_timeout=100)
        worker.queue_prefetch = self.jobs  # no message held that another machine could run
        if install_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: self.stopping.set())
        log.info(
            "worker %s of %s: %d job(s) at once on %d core(s)",
            hello["name"], self.client.http.base_url, self.jobs, self.cores.total,
        )  # fmt: skip
        print(f"vidjil-local worker {hello['name']!r} taking jobs", flush=True)
        worker.start()
        try:
            self._keep_in_touch()
        finally:
            worker.stop(timeout=10_000)
            broker.close()
        if self.refused is not None:
            raise self.refused
        return 0

    def _keep_in_touch(self) -> None:
        """Say hello while idle too: the Workers page shows it alive, and a revoked token or
        a server of another version stops it within a lease, not at its next job."""
        while not self.stopping.wait(min(HEARTBEAT_SECONDS, self.lease_seconds)):
            try:
                self.client.hello()
            except ServerRefused as error:
                self._refused(error)
            except Exception as error:  # the server away for a moment: try again
                log.warning("the server does not answer (%s)", error)

    # -- one job -------------------------------------------------------------------------------
    def _run_message(self, job_id: int) -> None:
        if self.stopping.is_set():
            assert self.actor is not None
            self.actor.send(job_id)  # taken while stopping: back to the queue, untouched
            return
        try:
            claimed = self.client.claim(job_id)
        except ServerRefused as error:
            assert self.actor is not None
            self.actor.send(job_id)  # the message is not this worker's to lose
            self._refused(error)
            return
        if claimed is None:  # taken elsewhere, cancelled, or a message sent twice
            return
        attempt = int(claimed["attempt"])
        with self._held_lock:
            self.held[job_id] = attempt
        # resolved: a linked file's copy is checked to be inside `reads/` by its real path
        folder = (self.data_dir / JOBS_FOLDER / f"{job_id}-{attempt}").resolve()
        try:
            self._run(claimed, folder)
        except ServerRefused as error:
            self._refused(error)
        except LeaseGone:
            log.warning("job %d is no longer this worker's; dropped", job_id)
        except VidjilError as error:
            log.error("job %d: %s", job_id, error.message)
            self._tell_failure(job_id, attempt, Ending.CRASHED, error.to_dict())
        except httpx.TransportError as error:  # the lease hands the job back to the queue
            log.error("job %d: the server could not be reached (%s)", job_id, error)
        finally:
            with self._held_lock:
                self.held.pop(job_id, None)
            shutil.rmtree(folder, ignore_errors=True)

    def _run(self, claimed: dict[str, Any], folder: Path) -> None:
        job_id, attempt = int(claimed["job_id"]), int(claimed["attempt"])
        kind = JOB_KINDS[claimed["kind"]]
        for entry in claimed["inputs"]:
            self.client.fetch(job_id, attempt, entry, folder)
        params = dict(claimed["params"])
        for field, relative in claimed["fields"].items():
            params[field] = str(folder / relative) if relative != "." else str(folder)
        output = Path(params[claimed["output_field"]])
        output.mkdir(parents=True, exist_ok=True)
        self.cores.join(job_id, parallel=kind.parallel)
        try:
            outcome = run_in_child(
                kind.work, kind.params, params,
                on_progress=self._reporter(job_id, attempt),
                time_limit=float(claimed["time_limit_seconds"]),
                cores=lambda: self.cores.share(job_id), niceness=self.niceness,
            )  # fmt: skip
        finally:
            self.cores.leave(job_id)
        if self.stopping.is_set() and outcome.status is Ending.CANCELLED:
            self.client.release(job_id, attempt)  # it runs again, elsewhere or later
            return
        self._send(job_id, attempt, outcome, output)

    def _send(self, job_id: int, attempt: int, outcome: Outcome, output: Path) -> None:
        if outcome.status is not Ending.COMPLETED:
            ending, error = outcome.status.value, outcome.error or {}
            self._patiently(lambda: self.client.fail(job_id, attempt, ending, error))
            return
        for path in sorted(output.iterdir()):
            if path.is_file():
                self._patiently(partial(self.client.send_output, job_id, attempt, path))
        self._patiently(lambda: self.client.complete(job_id, attempt, outcome.result or {}))
        self.done += 1
        log.info("job %d done", job_id)

    def _patiently(self, call: Callable[[], T]) -> T:
        """`call`, tried again while the server does not answer (it may be restarting: it gives
        running jobs a fresh lease when it starts again), up to PATIENCE_SECONDS."""
        deadline = time.monotonic() + PATIENCE_SECONDS
        while True:
            try:
                return call()
            except httpx.TransportError as error:
                if time.monotonic() > deadline or self.stopping.is_set():
                    raise
                log.warning("the server does not answer (%s): trying again", error)
                self.stopping.wait(RETRY_SECONDS)

    def _reporter(self, job_id: int, attempt: int) -> Callable[[float], bool]:
        """Report progress often enough to keep the lease (a third of it, at most every 2 s);
        True stops the job: a cancel, a lost lease, or this worker stopping."""
        every = min(2.0, self.lease_seconds / 3)
        last = 0.0
        latest: float | None = None
        cancel = False

        def on_progress(fraction: float) -> bool:
            nonlocal last, latest, cancel
            if fraction >= 0:
                latest = fraction
            if self.stopping.is_set() or cancel:
                return True
            moment = time.monotonic()
            if moment - last >= every:
                last = moment
                try:
                    cancel = self.client.progress(job_id, attempt, latest)
                except LeaseGone:
                    cancel = True
                except ServerRefused as error:
                    self._refused(error)
                    cancel = True
                except Exception as error:  # the server away for a moment: the lease decides
                    log.warning("job %d: progress not reported (%s)", job_id, error)
            return cancel

        return on_progress

    def _tell_failure(self, job_id: int, attempt: int, ending: Ending, error: Any) -> None:
        try:
            self.client.fail(job_id, attempt, ending.value, dict(error))
        except Exception:  # the lease will hand the job back
            log.warning("job %d: could not tell the server it failed", job_id, exc_info=True)

    def _refused(self, error: ServerRefused) -> None:
        log.error("%s", error.message)
        self.refused = error
        self.stopping.set()
