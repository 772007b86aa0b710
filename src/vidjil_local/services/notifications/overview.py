"""The E-mail admin page's facts (the SMTP settings in use without the password, the last sends
and errors, the administrators' alerts held back) and the test e-mail (page button and
`vidjil-local mail test ADDRESS`)."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from vidjil_local import __version__
from vidjil_local.db import Database
from vidjil_local.errors import Conflict, UsageError
from vidjil_local.services import admin_alerts, audit, mail
from vidjil_local.services.admin_alerts import AlertState
from vidjil_local.services.mail import SentMail
from vidjil_local.settings import Settings


@dataclass(frozen=True)
class EmailSettings:
    """What the app sends with; the password is never shown, only whether there is one."""

    configured: bool
    server: str
    from_email: str
    domain: str
    starttls: bool
    ssl: bool
    user: str
    password_set: bool
    admin_emails: list[str]
    subject_prefix: str


@dataclass(frozen=True)
class EmailOverview:
    settings: EmailSettings
    counts: dict[str, int]  # e-mails of the log by status
    recent: list[SentMail]
    errors: list[SentMail]
    alerts: list[AlertState]
    problems: list[str]


def email_settings(settings: Settings) -> EmailSettings:
    return EmailSettings(
        configured=mail.configured(settings),
        server=settings.smtp_server,
        from_email=settings.smtp_from_email,
        domain=settings.smtp_domain,
        starttls=settings.smtp_tls,
        ssl=settings.smtp_ssl,
        user=mail.smtp_user(settings),
        password_set=bool(settings.smtp_credentials.partition(":")[2]),
        admin_emails=list(settings.smtp_admin_emails),
        subject_prefix=settings.smtp_email_subject_start,
    )


def problems(settings: Settings, counts: dict[str, int]) -> list[str]:
    found = []
    if not mail.configured(settings):
        found.append(
            "E-mail is off: set smtp_server and smtp_from_email on the Settings page. Until then "
            "no notification, alert or login code is sent."
        )
    if not settings.smtp_admin_emails:
        found.append(
            "smtp_admin_emails is empty: server errors, crashed jobs and failed backups are "
            "only in the server log."
        )
    if counts.get("failed"):
        found.append(f"{counts['failed']} e-mail(s) could not be sent: see the errors below.")
    return found


def overview(database: Database, settings: Settings, *, limit: int = 50) -> EmailOverview:
    counts = mail.counts(database)
    return EmailOverview(
        settings=email_settings(settings),
        counts=counts,
        recent=mail.recent(database, limit=limit),
        errors=mail.recent(database, limit=limit, failed_only=True),
        alerts=admin_alerts.states(database),
        problems=problems(settings, counts),
    )


def test_body(settings: Settings) -> str:
    shown = email_settings(settings)
    return (
        f"This is a test e-mail from vidjil-local {__version__} on {socket.gethostname()} "
        f"(data folder {settings.data_dir}).\n\nIt was sent with:\n"
        f"  server:     {shown.server}\n  from:       {shown.from_email}\n"
        f"  STARTTLS:   {'yes' if shown.starttls else 'no'}\n  SSL:        "
        f"{'yes' if shown.ssl else 'no'}\n  login:      {shown.user or '(none)'}\n\n"
        "If you read this, the app can send its notifications and alerts.\n"
    )


def send_test(database: Database, settings: Settings, actor: audit.Actor, to: str) -> SentMail:
    """Send a test e-mail now and return how it went (a failure is in the row, not raised)."""
    address = to.strip()
    if "@" not in address or any(c.isspace() for c in address) or len(address) > 254:
        raise UsageError(f"not an e-mail address: {to!r}")
    if not mail.configured(settings):  # the settings' state, not a server down: 409, not 503
        raise Conflict("e-mail is not configured: set smtp_server and smtp_from_email")
    sent = mail.send_logged(
        database, settings, kind="test", to=address,
        subject=mail.subject_line(settings, "test e-mail"), body=test_body(settings),
    )  # fmt: skip
    audit.record_now(
        database, actor, "send_test_email", table_name="mail_log", record_id=sent.id,
        to=address, status=sent.status,
    )  # fmt: skip
    return sent
