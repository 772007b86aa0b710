"""The one place a failed, interrupted or missed backup is announced: the app log and, when
e-mail is set up, a message to each address of `smtp_admin_emails` with the subject prefix.
Callers: the scheduler and the "Back up now" run (in the app), `vidjil-local backup`, the
start-up check that finds a backup interrupted by a kill or a power cut, and the scheduler's
watch that finds one missed."""

from __future__ import annotations

import logging
import socket

from vidjil_local.services import mail
from vidjil_local.services.backups.runs import BackupRun
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def backup_failed(settings: Settings, run: BackupRun) -> None:
    log.error(
        "backup %d (%s) to %s %s: %s", run.id, run.trigger, run.destination, run.status, run.error
    )
    body = (
        f"The backup of vidjil-local on {socket.gethostname()} ({settings.data_dir}) started at "
        f"{run.started_at} to {run.destination} {run.status}:\n\n  {run.error}\n\n"
        "The earlier backups are untouched. See the Backups page of the administration for its "
        "history; the next scheduled backup tries again.\n"
    )
    _mail_admins(settings, f"backup {run.status}", body)


def backup_missed(settings: Settings, why: str) -> None:
    log.error("backup missed: %s", why)
    body = (
        f"A scheduled backup of vidjil-local on {socket.gethostname()} ({settings.data_dir}) "
        f"was not made: {why}\n\nThe earlier backups are untouched. See the Backups page of the "
        'administration; "Back up now" makes one at once.\n'
    )
    _mail_admins(settings, "backup missed", body)


def _mail_admins(settings: Settings, what: str, body: str) -> None:
    if not (mail.configured(settings) and settings.smtp_admin_emails):
        return
    subject = f"{settings.smtp_email_subject_start} {what}".strip()
    for address in settings.smtp_admin_emails:
        try:
            mail.send(settings, address, subject, body)
        except mail.MailError as error:
            log.warning("the e-mail %r to %s failed: %s", subject, address, error)
