"""Pause a job's process (SIGSTOP) as soon as it starts, so that a test acting "while the job
runs" (killing its server or its worker machine) does not depend on the job lasting long
enough: a paused job cannot end, however fast the machine. Each job runs in its own spawned
process (`jobs/child.py`), a child of the app or worker that claimed it; the process is killed
when the test is done with it (paused, it could not notice its parent's death by itself)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.waiting import wait_until


def spawned_children(parent: int) -> list[int]:
    """The processes `multiprocessing` spawned for `parent` (job processes, checks), by /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


@contextmanager
def paused_job_process(parent: int, *, timeout: float) -> Iterator[int]:
    """The first job process `parent` spawns, paused from the moment it is seen (its interpreter
    is still starting then: the job's work has not begun); killed when the block ends."""
    pid = wait_until(
        lambda: next(iter(spawned_children(parent)), None),
        timeout=timeout,
        interval=0.005,
        what=f"process {parent} started no job",
    )
    os.kill(pid, signal.SIGSTOP)
    try:
        yield pid
    finally:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
