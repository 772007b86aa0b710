"""A process pool whose size follows a share of cores that changes while it runs.

An analysis job is told how many cores it may use now (`share()`: the app's cores split between
the jobs running, `jobs/cores.py`); the share grows when other jobs end and shrinks when they
start. `ProcessPoolExecutor` cannot shrink, and one pool with a queue would run its queued chunks
on every idle process whatever the share. So each worker process is a one-process executor with
its own queue: a chunk goes to the least busy of the first `share() - 1` of them (this process
counts for one core), executors beyond the share get no new chunk and are shut down once their
few queued chunks are done, and new ones are started (spawned) when the share grows.

A worker process exits by itself when the process that started it dies: a job's process is killed
when the job is cancelled or runs out of time, and its pool must not linger as orphans.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
Share = Callable[[], int]
ORPHAN_CHECK_SECONDS = 0.5


class ElasticPool(Executor):
    """Up to `limit - 1` one-process executors, `share() - 1` of them used at a time."""

    def __init__(
        self,
        share: Share,
        limit: int,
        initializer: Callable[..., object],
        initargs: tuple[Any, ...],
    ) -> None:
        self.share = share
        self.limit = limit
        self._initializer = initializer
        self._initargs = initargs
        self._executors: list[ProcessPoolExecutor | None] = []
        self._queued: list[list[Future[Any]]] = []  # per executor, the chunks given to it

    def workers(self) -> int:
        """Processes that may work for this pool now (besides the caller's own)."""
        return max(0, min(self.share(), self.limit) - 1)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        count = max(1, self.workers())
        for queued in self._queued:
            queued[:] = [future for future in queued if not future.done()]
        self._retire_beyond(count)
        while len(self._executors) < count:
            self._executors.append(None)
            self._queued.append([])
        chosen = min(range(count), key=lambda index: len(self._queued[index]))
        executor = self._executors[chosen]
        if executor is None:
            executor = self._executors[chosen] = self._start()
        future = executor.submit(fn, *args, **kwargs)
        self._queued[chosen].append(future)
        return future

    def started(self) -> int:
        """Worker processes alive or starting (for tests and benchmarks)."""
        return sum(1 for executor in self._executors if executor is not None)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for executor in self._executors:
            if executor is not None:
                executor.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._executors = [None for _ in self._executors]

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_guarded,
            initargs=(os.getpid(), self._initializer, self._initargs),
        )

    def _retire_beyond(self, count: int) -> None:
        """Shut down the executors past the share once their queued chunks are done."""
        for index in range(count, len(self._executors)):
            executor = self._executors[index]
            if executor is not None and not self._queued[index]:
                executor.shutdown(wait=False)
                self._executors[index] = None


def _guarded(parent: int, initializer: Callable[..., object], initargs: tuple[Any, ...]) -> None:
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    initializer(*initargs)


def _exit_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(3)
