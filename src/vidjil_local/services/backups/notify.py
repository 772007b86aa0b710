"""The one place a failed, interrupted or missed backup is announced: the app log and, when
e-mail is set up, the administrators' alert (`admin_alerts.notify_admins`, as for server errors:
`smtp_admin_emails`, the subject prefix, the rate limit that keeps a storm to a few e-mails).
Callers: the scheduler and the "Back up now" run (in the app), `vidjil-local backup`, the
start-up check that finds a backup interrupted by a kill or a power cut, and the scheduler's
watch that finds one missed."""

from __future__ import annotations

import logging
import socket

from vidjil_local.db import Database
from vidjil_local.services import admin_alerts
from vidjil_local.services.admin_alerts import AlertOutcome
from vidjil_local.services.backups.runs import BackupRun
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def backup_failed(
    settings: Settings, run: BackupRun, database: Database | None = None
) -> AlertOutcome:
    log.error(
        "backup %d (%s) to %s %s: %s", run.id, run.trigger, run.destination, run.status, run.error
    )
    body = (
        f"The backup of vidjil-local on {socket.gethostname()} ({settings.data_dir}) started at "
        f"{run.started_at} to {run.destination} {run.status}:\n\n  {run.error}\n\n"
        "The earlier backups are untouched. See the Backups page of the administration for its "
        "history; the next scheduled backup tries again.\n"
    )
    return _alert(settings, f"backup {run.status}", body, database)


def backup_missed(settings: Settings, why: str, database: Database | None = None) -> AlertOutcome:
    log.error("backup missed: %s", why)
    body = (
        f"A scheduled backup of vidjil-local on {socket.gethostname()} ({settings.data_dir}) "
        f"was not made: {why}\n\nThe earlier backups are untouched. See the Backups page of the "
        'administration; "Back up now" makes one at once.\n'
    )
    return _alert(settings, "backup missed", body, database)


def _alert(settings: Settings, what: str, body: str, database: Database | None) -> AlertOutcome:
    """One alert kind per outcome ("backup failed", "backup missed"...): a folder that fails at
    every try e-mails once per rate-limit interval, saying how many were held back."""
    return admin_alerts.notify_admins(settings, what, body, key=what, database=database)
