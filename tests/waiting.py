"""The one way tests wait for something that happens elsewhere (a job, a server, an e-mail).

`wait_until(probe, ...)` calls `probe` until it returns a true value and returns that value; after
`timeout` seconds it fails with `what` (a text, or a function giving one, so the message can show
the state that was last seen). A test never sleeps a fixed time hoping something is done.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

T = TypeVar("T")


def wait_until(
    probe: Callable[[], T | None],
    *,
    timeout: float,
    what: str | Callable[[], str],
    interval: float = 0.1,
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            message = what if isinstance(what, str) else what()
            raise AssertionError(f"{message} (waited {timeout:g} s)")
        time.sleep(interval)


def server_url(data_dir: Path, alive: Callable[[], object], *, timeout: float) -> str:
    """The URL of a `vidjil-local serve` on `data_dir` once it answers `/api/health` (its
    `instance.json` names the port); `alive` asserts that its process still runs."""

    def answering() -> str | None:
        alive()
        info = data_dir / "instance.json"
        if not info.exists():
            return None
        url = "http://127.0.0.1:{}".format(json.loads(info.read_text())["port"])
        try:
            healthy = httpx.get(url + "/api/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return None
        return url if healthy else None

    return wait_until(answering, timeout=timeout, what="the app did not answer in time")
