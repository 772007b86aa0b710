"""Worker diagnostics: a short CPU-bound job that proves the job system runs end to end.

Admins run it from the server status page (and the tests use it): it hashes generated data for a
given time in the job's own process, reports progress, and returns the throughput measured, which
also tells how fast this machine's workers are.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from typing import Any

from pydantic import Field

from vidjil_local.db.jobs import JobParams

BLOCK = b"ACGT" * 16384  # 64 KiB
MAX_SECONDS = 3600


class DiagnosticsParams(JobParams):
    seconds: float = Field(default=1.0, gt=0, le=MAX_SECONDS)


def cpu_check(params: DiagnosticsParams, progress: Callable[[float], None]) -> dict[str, Any]:
    seconds = params.seconds
    started = time.monotonic()
    digest = hashlib.sha256()
    hashed = 0
    while (elapsed := time.monotonic() - started) < seconds:
        for _ in range(64):
            digest.update(BLOCK)
        hashed += 64 * len(BLOCK)
        progress(elapsed / seconds)
    progress(1.0)
    return {
        "seconds": round(elapsed, 3),
        "megabytes_per_second": round(hashed / elapsed / 1e6, 1),
        "process_id": os.getpid(),
        "digest": digest.hexdigest(),
    }
