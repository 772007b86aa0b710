"""The Redis mode against a real redis-server on loopback (skipped locally without one)."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import require_program
from vidjil_local.db import Database, jobs
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs.broker import choose_broker
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.settings import Settings

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url() -> Iterator[str]:
    program = require_program("redis-server")
    port = free_port()
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_is_used_when_it_answers(redis_url: str) -> None:
    choice = choose_broker(redis_url)
    try:
        assert choice.kind == "redis" and not choice.warning
    finally:
        choice.broker.close()


def test_fallback_to_the_in_app_queue_when_redis_is_down() -> None:
    choice = choose_broker(f"redis://127.0.0.1:{free_port()}/0")
    assert choice.kind == "stub"
    assert "does not answer" in choice.warning


def test_a_job_travels_through_redis(
    redis_url: str, settings: Settings, database: Database
) -> None:
    runtime = JobRuntime(settings.with_values(redis_url=redis_url), database)
    runtime.start()
    try:
        assert runtime.broker_kind == "redis"
        job = runtime.submit("diagnostics", DiagnosticsParams(seconds=0.3))
        deadline = time.monotonic() + 60
        while (current := jobs.get(database, job.id)).status not in {"completed", "failed"}:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        runtime.stop()
    assert current.status == "completed", current.error
