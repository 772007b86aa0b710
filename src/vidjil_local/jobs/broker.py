"""The only place the Dramatiq broker is chosen.

In-app `StubBroker` by default; a `RedisBroker` when `redis_url` is set and Redis answers a ping,
else the stub again with a logged warning (the app must start even when Redis is down). No global
broker is set: actors are declared with an explicit broker by `jobs/runtime.py` (and by a worker
machine, `jobs/worker_machine.py`, on the same Redis).

Two queues: `LOCAL_QUEUE` for the jobs only this app runs (a fuse reads the results on its disk),
`SHARED_QUEUE` for the jobs its own workers and worker machines take alike (analyses). In Redis,
the keys are prefixed with the installation's id, so two servers may share one Redis.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import dramatiq
from dramatiq.brokers.stub import StubBroker

log = logging.getLogger(__name__)
LOCAL_QUEUE, LOCAL_ACTOR = "vidjil-jobs", "run_job"
SHARED_QUEUE, SHARED_ACTOR = "vidjil-shared-jobs", "run_shared_job"
CONNECT_SECONDS = 2
SOCKET_SECONDS = 10


@dataclass(frozen=True)
class BrokerChoice:
    broker: dramatiq.Broker
    kind: str  # "stub" or "redis"
    warning: str = ""


def choose_broker(redis_url: str, namespace: str = "vidjil") -> BrokerChoice:
    if not redis_url:
        return BrokerChoice(_stub(), "stub")
    problem = redis_problem(redis_url)
    if problem:
        warning = (
            f"Redis at {shown_url(redis_url)} does not answer ({problem}); using the in-app job "
            "queue"
        )
        log.warning(warning)
        return BrokerChoice(_stub(), "stub", warning)
    return BrokerChoice(redis_broker(redis_url, namespace), "redis")


def redis_broker(redis_url: str, namespace: str) -> dramatiq.Broker:
    """A Redis broker with bounded waits: a Redis that went away fails a send in seconds."""
    import redis
    from dramatiq.brokers.redis import RedisBroker

    client = redis.Redis.from_url(
        redis_url, socket_connect_timeout=CONNECT_SECONDS, socket_timeout=SOCKET_SECONDS
    )
    broker: dramatiq.Broker = RedisBroker(  # type: ignore[no-untyped-call]
        client=client, namespace=namespace, middleware=_middleware()
    )
    return broker


def shown_url(redis_url: str) -> str:
    """The URL without its password, for logs and pages."""
    scheme, separator, rest = redis_url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not separator or not at:
        return redis_url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user + ':' if user else ':'}***@{place}"


def _stub() -> StubBroker:
    return StubBroker(middleware=_middleware())


def _middleware() -> list[dramatiq.Middleware]:
    # Retries are counted in the jobs table (db/jobs.py), not by Dramatiq; TimeLimit stays
    # as a backstop behind the runner's own limit, which kills the job's process.
    from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, ShutdownNotifications, TimeLimit

    return [AgeLimit(), TimeLimit(), ShutdownNotifications(), Callbacks(), Pipelines()]


def redis_problem(redis_url: str) -> str:
    try:
        import redis
    except ImportError:
        return "the redis package is not installed: pip install 'vidjil-local[redis]'"
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        return str(error) or type(error).__name__
    return ""
