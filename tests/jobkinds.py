"""Job kinds used only by the tests of the job system (imported in spawned child processes)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def crash_once(params: dict[str, Any], progress: Callable[[float], None]) -> dict[str, Any]:
    """Kill its own process the first time (a marker file remembers), succeed the second time."""
    marker = Path(params["marker"])
    if not marker.exists():
        marker.write_text("crashed once")
        os._exit(9)
    return {"attempt": 2}


def always_raise(params: dict[str, Any], progress: Callable[[float], None]) -> dict[str, Any]:
    raise RuntimeError("a bug in the job")


def sleep(params: dict[str, Any], progress: Callable[[float], None]) -> dict[str, Any]:
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < params["seconds"]:
        progress(elapsed / params["seconds"])
        time.sleep(0.05)
    return {"slept": params["seconds"], "pid": os.getpid()}


def remember_result(database: Any, job: Any, result: dict[str, Any]) -> None:
    """An on_complete hook: records the child's result in the app process's database."""
    with database.write() as db:
        db.table("meta").insert({"key": f"job-{job.id}", "value": str(result["slept"])})


def refuse_result(database: Any, job: Any, result: dict[str, Any]) -> None:
    raise ValueError("the result cannot be stored")
