"""The app as a real process: the installed package (`python -m vidjil_local`) or the frozen
executable, started on a data folder; wait until it answers; stop it the way a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.waiting import server_url

PYTHON_APP = (sys.executable, "-m", "vidjil_local")


def start_app(
    data_dir: Path,
    *args: str,
    program: Sequence[str] = PYTHON_APP,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*program, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "BROWSER": "false", **(env or {})},
    )


def wait_for_url(data_dir: Path, process: subprocess.Popen[str], timeout: float = 30) -> str:
    """The base URL once `/api/health` answers 200 (the port comes from instance.json)."""

    def alive() -> None:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""

    return server_url(data_dir, alive, timeout=timeout)


def stop(process: subprocess.Popen[str], how: int = signal.SIGINT, timeout: float = 30) -> str:
    """Send `how` and wait for the end; the process's output."""
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.stdout.read() if process.stdout else ""


def csrf_client(url: str) -> httpx.Client:
    """A client that sends the CSRF cookie back in its header, as the browser client does."""
    client = httpx.Client(base_url=url, timeout=30)
    client.get("/api/auth/status")
    client.headers["x-csrftoken"] = client.cookies.get("csrftoken") or ""
    return client


@contextmanager
def serving(data_dir: Path, log: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`serve` on `data_dir` and a free port for a whole test module: its base URL (ending in
    "/") once it answers, stopped with Ctrl+C at the end. Its output goes to the file `log` (read
    back when it dies), not to a pipe that nobody reads while tests run and that would fill."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*PYTHON_APP, "--data-dir", str(data_dir), "serve", "--port", "0"],
            stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "BROWSER": "false", **(env or {})},
        )  # fmt: skip

    def alive() -> None:
        assert process.poll() is None, log.read_text(errors="replace")

    try:
        yield server_url(data_dir, alive, timeout=60) + "/"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
