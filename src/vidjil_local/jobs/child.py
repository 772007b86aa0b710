"""Run one job's work in a spawned child process that can be killed (cancel, time limit).

`ProcessPoolExecutor` cannot stop a running task, so each job gets its own spawned process; at most
`worker_count` run at once because each worker thread runs one. The child reports over a pipe:
("progress", fraction), then ("result", dict) or ("error", dict). It exits by itself when its parent
dies (kill -9 of the app), instead of lingering as an orphan (stack-notes.md section 2).
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

from vidjil_local.db.jobs import JobParams
from vidjil_local.errors import VidjilError
from vidjil_local.services.disk import disk_full, is_disk_full

ProgressCallback = Callable[[float], None]
Work = Callable[[Any, ProgressCallback], dict[str, Any]]
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


def child_main(
    connection: Connection,
    work: Work,
    params_model: type[JobParams],
    params: dict[str, Any],
    parent: int,
) -> None:
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    last_sent = 0.0

    def progress(fraction: float) -> None:
        nonlocal last_sent
        moment = time.monotonic()
        if moment - last_sent >= 0.2 or fraction >= 1.0:
            last_sent = moment
            connection.send(("progress", float(fraction)))

    try:
        result = work(params_model.from_stored(params), progress)
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
                    "message": f"internal error: {error}",
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
) -> Outcome:
    """Run `work(params, progress)` in a spawned process, the stored `params` read with their
    model there; `on_progress` returns True to cancel."""
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe(duplex=False)
    process = context.Process(
        target=child_main,
        args=(child_end, work, params_model, params, os.getpid()),
        daemon=True,
    )
    process.start()
    child_end.close()
    try:
        return _supervise(process, parent_end, on_progress, time.monotonic() + time_limit)
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent_end.close()
        process.close()


def _supervise(
    process: Any,
    connection: Connection,
    on_progress: Callable[[float], bool],
    deadline: float,
) -> Outcome:
    while True:
        if time.monotonic() > deadline:
            process.kill()
            return Outcome(
                Ending.TIMEOUT, error={"code": "timeout", "message": "time limit reached"}
            )
        try:
            ready = connection.poll(POLL_SECONDS)
        except (EOFError, OSError):
            ready = True
        if not ready:
            if not process.is_alive() and not connection.poll(0):
                return _died(process)
            if on_progress(-1.0):
                process.kill()
                return Outcome(Ending.CANCELLED)
            continue
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):
            return _died(process)
        if kind == "progress":
            if on_progress(float(payload)):
                process.kill()
                return Outcome(Ending.CANCELLED)
        elif kind == "result":
            return Outcome(Ending.COMPLETED, result=payload)
        elif kind == "error":
            return Outcome(Ending.FAILED, error=payload)
        else:
            return Outcome(Ending.CRASHED, error=payload)


def _died(process: Any) -> Outcome:
    process.join(timeout=5)
    return Outcome(
        Ending.CRASHED,
        error={
            "code": "crashed",
            "message": f"the analysis process stopped unexpectedly (exit code {process.exitcode})",
        },
    )
