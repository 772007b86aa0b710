"""Run one job's work in a spawned child process that can be killed (cancel, time limit).

`ProcessPoolExecutor` cannot stop a running task, so each job gets its own spawned process; at most
`worker_count` run at once because each worker thread runs one. The child reports over a pipe:
("progress", fraction), then ("result", dict) or ("error", dict); a second pipe tells it
("cores", n) whenever its share of the machine's cores changes (`jobs/cores.py`), which its work
reads from `Reporter.cores()`. It exits by itself when its parent dies (kill -9 of the app),
instead of lingering as an orphan (stack-notes.md section 2).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any

from vidjil_local.db.jobs import JobParams, Reporter
from vidjil_local.errors import VidjilError
from vidjil_local.jobs.priority import lower_priority
from vidjil_local.services.disk import disk_full, is_disk_full

Work = Callable[[Any, Reporter], dict[str, Any]]
Cores = Callable[[], int]
POLL_SECONDS = 0.1
ORPHAN_CHECK_SECONDS = 0.5


class Ending(StrEnum):
    """How a child ended: completed (result), failed (error, not worth retrying), crashed,
    cancelled or timed out."""

    COMPLETED = "completed"
    FAILED = "failed"
    CRASHED = "crashed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Outcome:
    status: Ending
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def _exit_when_orphaned(parent_pid: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(3)


JOB_DISK_FULL = (
    "the data disk became full while this job wrote its results: free some space (or ask an "
    "administrator), then launch it again"
)


class ChildReporter:
    """The child's `Reporter`: progress up the pipe (at most five times a second), and the share
    of cores the parent last sent down the control pipe."""

    def __init__(self, connection: Connection, cores: int) -> None:
        self.connection = connection
        self._cores = cores
        self._last_sent = 0.0

    def __call__(self, fraction: float) -> None:
        moment = time.monotonic()
        if moment - self._last_sent >= 0.2 or fraction >= 1.0:
            self._last_sent = moment
            self.connection.send(("progress", float(fraction)))

    def cores(self) -> int:
        return self._cores

    def listen(self, control: Connection) -> None:
        """Take the parent's share changes until the control pipe closes."""
        try:
            while True:
                kind, value = control.recv()
                if kind == "cores":
                    self._cores = max(1, int(value))
        except (EOFError, OSError):
            return


def child_main(
    connection: Connection,
    control: Connection,
    work: Work,
    params_model: type[JobParams],
    params: dict[str, Any],
    parent: int,
    cores: int,
    niceness: int = 0,
) -> None:
    lower_priority(niceness)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    reporter = ChildReporter(connection, cores)
    threading.Thread(target=reporter.listen, args=(control,), daemon=True).start()
    try:
        result = work(params_model.from_stored(params), reporter)
        connection.send(("result", result))
    except VidjilError as error:
        connection.send(("error", {"type": type(error).__name__, **error.to_dict()}))
    except BaseException as error:  # a bug: report it with its traceback, then retry or fail
        if is_disk_full(error):  # not a bug, and a retry at once would fail the same way
            full = disk_full(error, JOB_DISK_FULL)
            connection.send(("error", {"type": type(full).__name__, **full.to_dict()}))
            return
        connection.send(
            (
                "crash",
                {
                    "type": type(error).__name__,
                    "code": "internal",
                    # the error's own text may hold server paths: it goes to the log only
                    "message": f"internal error ({type(error).__name__}): see the server log",
                    "traceback": traceback.format_exc(),
                },
            )
        )
    finally:
        connection.close()


def run_in_child(
    work: Work,
    params_model: type[JobParams],
    params: dict[str, Any],
    *,
    on_progress: Callable[[float], bool],
    time_limit: float,
    cores: Cores = lambda: 1,
    niceness: int = 0,
) -> Outcome:
    """Run `work(params, reporter)` in a spawned process, the stored `params` read with their
    model there; `on_progress` returns True to cancel; `cores()` is the job's share of cores,
    passed on to the child when it changes; the child runs `niceness` steps nicer than this
    process (`jobs/priority.py`)."""
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe(duplex=False)
    control_end, control_parent = context.Pipe(duplex=False)
    process = context.Process(
        target=child_main,
        args=(child_end, control_end, work, params_model, params, os.getpid(), cores(), niceness),
        daemon=False,  # a daemonic process may not start the pool of a parallel job
    )
    process.start()
    child_end.close()
    control_end.close()
    try:
        supervisor = _Supervisor(process, parent_end, control_parent, cores)
        return supervisor.run(on_progress, time.monotonic() + time_limit)
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent_end.close()
        control_parent.close()
        process.close()


class _Supervisor:
    def __init__(self, process: Any, connection: Connection, control: Connection, cores: Cores):
        self.process = process
        self.connection = connection
        self.control = control
        self.cores = cores
        self.sent_cores = cores()

    def run(self, on_progress: Callable[[float], bool], deadline: float) -> Outcome:
        while True:
            self._pass_on_cores()
            ending = _watch(self.process, self.connection, on_progress, deadline)
            if ending is not None:
                return ending

    def _pass_on_cores(self) -> None:
        share = self.cores()
        if share != self.sent_cores:
            try:
                self.control.send(("cores", share))
            except OSError:  # the child is gone; the next watch says how it ended
                return
            self.sent_cores = share


def _watch(
    process: Any,
    connection: Connection,
    on_progress: Callable[[float], bool],
    deadline: float,
) -> Outcome | None:
    """One look at the child (at most POLL_SECONDS): its ending, or None while it works."""
    if time.monotonic() > deadline:
        process.kill()
        return Outcome(Ending.TIMEOUT, error={"code": "timeout", "message": "time limit reached"})
    try:
        ready = connection.poll(POLL_SECONDS)
    except (EOFError, OSError):
        ready = True
    if not ready:
        if not process.is_alive() and not connection.poll(0):
            return _died(process)
        return _cancelled(process) if on_progress(-1.0) else None
    try:
        kind, payload = connection.recv()
    except (EOFError, OSError):
        return _died(process)
    if kind == "progress":
        return _cancelled(process) if on_progress(float(payload)) else None
    if kind == "result":
        return Outcome(Ending.COMPLETED, result=payload)
    if kind == "error":
        return Outcome(Ending.FAILED, error=payload)
    return Outcome(Ending.CRASHED, error=payload)


def _cancelled(process: Any) -> Outcome:
    process.kill()
    return Outcome(Ending.CANCELLED)


def _died(process: Any) -> Outcome:
    process.join(timeout=5)
    return Outcome(
        Ending.CRASHED,
        error={
            "code": "crashed",
            "message": f"the analysis process stopped unexpectedly (exit code {process.exitcode})",
        },
    )
