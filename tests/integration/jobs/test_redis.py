"""The Redis mode against a real redis-server on loopback (skipped locally without one)."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import require_program
from tests.redis_server import RedisServer
from tests.waiting import wait_until
from vidjil_local.db import Database, jobs
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs.broker import choose_broker
from vidjil_local.services.admin import health
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.settings import Settings

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


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
        wait_until(lambda: answers(port), timeout=10, what="redis-server did not start")
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

        def finished() -> jobs.Job | None:
            done = jobs.get(database, job.id)
            return done if done.status in {"completed", "failed"} else None

        current = wait_until(finished, timeout=60, what=f"job {job.id} did not finish")
    finally:
        runtime.stop()
    assert current.status == "completed", current.error


def test_the_health_is_degraded_while_redis_does_not_answer(
    settings: Settings, database: Database
) -> None:
    # new jobs wait while Redis is down: the health said "ok" (only the Workers page told)
    settings.sequences_dir.mkdir(parents=True)  # as the app makes it at start
    redis = RedisServer()
    redis.start()
    runtime = JobRuntime(settings.with_values(redis_url=redis.url), database)
    runtime.start()
    try:
        assert health.check(settings, database, runtime, time.time()).problems == []
        redis.stop()

        def degraded() -> list[str] | None:
            now = health.check(settings, database, runtime, time.time())
            return now.problems if now.status == "degraded" else None

        [problem] = wait_until(degraded, timeout=30, what="the health did not see Redis down")
        assert "does not answer" in problem and "new jobs wait" in problem
        redis.start()  # the same port: the queue answers again
        wait_until(
            lambda: health.check(settings, database, runtime, time.time()).status == "ok",
            timeout=30, what="the health did not see Redis back",
        )  # fmt: skip
    finally:
        runtime.stop()
        redis.stop()
