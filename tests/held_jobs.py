"""Hold a job at a known point instead of hoping it lasts long enough: the app's runtime records
a finished job's result in the app process (`JobKind.record`) before marking it completed, so a
record made to wait keeps the job `running`, its work done and its files written, until the
test lets it go. The real record runs then; nothing else of the job changes."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vidjil_local.db import Database
from vidjil_local.db.jobs import Job
from vidjil_local.jobs.kinds import JobKind
from vidjil_local.jobs.runtime import JobRuntime

HOLD_AT_MOST = 120.0  # a test that never lets go still ends


class HeldRecord:
    """The first job of its kind recorded while installed waits (`held` says which) until
    `release()`; the others go through."""

    def __init__(self, kind: JobKind[Any]) -> None:
        assert kind.record is not None, "only a kind that records in the app can be held here"
        self._record = kind.record
        self.held: Job | None = None
        self._entered = threading.Event()
        self._released = threading.Event()

    def __call__(
        self, database: Database, job: Job, params: Any, result: dict[str, Any]
    ) -> list[int]:
        if self.held is None:
            self.held = job
            self._entered.set()
            self._released.wait(HOLD_AT_MOST)
        return self._record(database, job, params, result)

    def holding(self) -> Job | None:
        return self.held if self._entered.is_set() else None

    def release(self) -> None:
        self._released.set()


@contextmanager
def hold_one_record(runtime: JobRuntime, kind: str) -> Iterator[HeldRecord]:
    """While inside: the next job of `kind` to finish its work is held before its record;
    released at the latest when the block ends."""
    original = runtime.kinds[kind]
    held = HeldRecord(original)
    runtime.kinds[kind] = dataclasses.replace(original, record=held)
    try:
        yield held
    finally:
        held.release()
        runtime.kinds[kind] = original
