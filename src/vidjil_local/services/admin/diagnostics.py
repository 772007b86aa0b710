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

from vidjil_local.errors import UsageError

BLOCK = b"ACGT" * 16384  # 64 KiB


def cpu_check(params: dict[str, Any], progress: Callable[[float], None]) -> dict[str, Any]:
    seconds = params.get("seconds", 1.0)
    if not isinstance(seconds, int | float) or not 0 < seconds <= 3600:
        raise UsageError("diagnostics: 'seconds' must be a number between 0 and 3600")
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
