"""The app's e-mail thread: it sends what was queued in `mail_log` (notifications, retries) and
the administrators' alerts raised where sending must not wait (a request that failed, a worker
thread), so no request and no job ever waits on the SMTP server.

Started and stopped with the app. The job runtime calls `job_ended` when a job reaches its
final state; the error handler calls `alert`. Settings are read at each round, so SMTP settings
an administrator changes apply without restart.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from vidjil_local.db import Database
from vidjil_local.db.jobs import Job
from vidjil_local.services import admin_alerts, mail
from vidjil_local.services.notifications import analyses, server_errors
from vidjil_local.services.notifications.server_errors import Alert
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0  # retries come due without a wake-up
PRUNE_SECONDS = 3600.0


class MailSender:
    def __init__(self, settings: Callable[[], Settings], database: Database) -> None:
        self._settings = settings
        self._database = database
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._alerts: queue.SimpleQueue[Alert] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pruned_at = 0.0

    def start(self) -> None:
        mail.release_claims(self._database)
        self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=mail.TIMEOUT_SECONDS + 5)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def alert(self, alert: Alert) -> None:
        """Tell the administrators, from this thread: returns at once."""
        self._alerts.put(alert)
        self._wake.set()

    def job_ended(self, job: Job, error: dict[str, object] | None, gave_up: bool) -> None:
        """A job reached its final state (called by the job runtime, after the commit)."""
        settings = self._settings()
        if gave_up:
            self.alert(
                server_errors.job_crashed(
                    settings, job_id=job.id, kind=job.kind, attempts=job.attempts, error=error
                )
            )
        if analyses.job_ended(self._database, settings, job.id) is not None:
            self._wake.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            try:
                self._round()
            except Exception:  # a busy or closing database: the next round tries again
                log.exception("the e-mail thread's round failed")

    def _round(self) -> None:
        settings = self._settings()
        while not self._alerts.empty():
            alert = self._alerts.get_nowait()
            admin_alerts.notify_admins(
                settings, alert.subject, alert.body, key=alert.key, database=self._database
            )
        if mail.configured(settings):
            mail.deliver_due(self._database, settings)
        if time.monotonic() - self._pruned_at > PRUNE_SECONDS:
            mail.prune(self._database)
            self._pruned_at = time.monotonic()
