"""The only place the Dramatiq broker is chosen.

In-app `StubBroker` by default; a `RedisBroker` when `redis_url` is set and Redis answers a ping,
else the stub again with a logged warning (the app must start even when Redis is down). No global
broker is set: actors are declared with an explicit broker by `jobs/runtime.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import dramatiq
from dramatiq.brokers.stub import StubBroker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BrokerChoice:
    broker: dramatiq.Broker
    kind: str  # "stub" or "redis"
    warning: str = ""


def choose_broker(redis_url: str) -> BrokerChoice:
    if not redis_url:
        return BrokerChoice(_stub(), "stub")
    problem = _redis_problem(redis_url)
    if problem:
        warning = f"Redis at {redis_url} does not answer ({problem}); using the in-app job queue"
        log.warning(warning)
        return BrokerChoice(_stub(), "stub", warning)
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=redis_url, middleware=_middleware())  # type: ignore[no-untyped-call]
    return BrokerChoice(broker, "redis")


def _stub() -> StubBroker:
    return StubBroker(middleware=_middleware())


def _middleware() -> list[dramatiq.Middleware]:
    # Retries are counted in the jobs table (db/jobs.py), not by Dramatiq; TimeLimit stays
    # as a backstop behind the runner's own limit, which kills the job's process.
    from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, ShutdownNotifications, TimeLimit

    return [AgeLimit(), TimeLimit(), ShutdownNotifications(), Callbacks(), Pipelines()]


def _redis_problem(redis_url: str) -> str:
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
