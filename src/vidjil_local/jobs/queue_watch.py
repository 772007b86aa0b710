"""Is the job queue answering? Redis can stop, or restart empty, while the app runs.

The jobs table stays the truth either way: while Redis does not answer, new jobs are stored as
queued and wait, and the state says so (health, the Workers page); when it answers again, or
when it restarted (its `run_id` changed, its messages gone), every queued job is sent again.
A job sent twice is harmless: the claim is atomic.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from vidjil_local.db.clock import now
from vidjil_local.jobs.broker import shown_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueState:
    broker: str  # "stub", "redis" or "stopped"
    answering: bool
    since: str  # when it last changed
    message: str  # for people: what it means for their jobs


class QueueWatch:
    """The state of the broker, checked by the runtime's sweep (`check`) and marked down by a
    send that failed (`failed`)."""

    def __init__(self, broker_kind: str, redis_url: str = "", client: Any = None) -> None:
        self.broker_kind = broker_kind
        self.redis_url = redis_url
        self._client = client
        self._lock = threading.Lock()
        self._answering = True
        self._since = now()
        self._problem = ""
        self._run_id: str | None = None

    @property
    def answering(self) -> bool:
        with self._lock:
            return self._answering

    def state(self) -> QueueState:
        with self._lock:
            if self._answering:
                message = "jobs are sent to the queue as they are made"
            else:
                message = (
                    f"the job queue (Redis at {shown_url(self.redis_url)}) does not answer "
                    f"({self._problem}): new jobs wait, and start when it answers again"
                )
            return QueueState(self.broker_kind, self._answering, self._since, message)

    def failed(self, error: BaseException) -> None:
        self._set(False, str(error) or type(error).__name__)

    def check(self) -> bool:
        """Look at Redis; True when every queued job must be sent again (it came back, or it
        restarted and lost its messages)."""
        if self._client is None:
            return False
        try:
            run_id = str(self._client.info("server").get("run_id", ""))
        except Exception as error:  # any client error means the queue cannot be used now
            self._set(False, str(error) or type(error).__name__)
            return False
        came_back = self._set(True, "")
        restarted = self._run_id is not None and run_id != self._run_id
        self._run_id = run_id
        if restarted:
            log.warning("Redis restarted (new run id): sending every queued job again")
        return came_back or restarted

    def _set(self, answering: bool, problem: str) -> bool:
        with self._lock:
            changed = answering != self._answering
            self._answering, self._problem = answering, problem
            if changed:
                self._since = now()
        if changed and answering:
            log.warning("the job queue answers again: queued jobs are sent")
        elif changed:
            log.warning("the job queue does not answer (%s): new jobs wait", problem)
        return changed
