"""E-mail through the configured SMTP server (Vidjil's SMTP_* settings), and the log of what the
app sent (`mail_log`: the E-mail admin page's last sends and errors).

`send` only talks SMTP. The app's own messages go through the log: `queue` writes a row inside
the caller's transaction (a notification commits with the fact it tells), `deliver_due` sends the
queued rows (the app's sender thread, or the command that queued them), retrying a failed send
a few times; `send_logged` sends at once and says how it went (the test e-mail). A row keeps its
body only until it is sent: the log shows who got what subject, not the text again. No error
text kept or shown holds the SMTP password (`scrub`).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import VidjilError
from vidjil_local.settings import Settings

TIMEOUT_SECONDS = 20
MAX_ATTEMPTS = 3
RETRY_MINUTES = (1, 10)  # wait before the 2nd and 3rd attempt
KEPT_ROWS = 1000  # the log keeps the last rows only
SENDING = "9999-12-31"  # next_attempt_at of a row being sent: out of every other sender's reach


class MailError(VidjilError):
    """The SMTP server is not configured, cannot be reached, or refused the message."""

    code = "mail"
    http_status = 503


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_server and settings.smtp_from_email)


def subject_line(settings: Settings, subject: str) -> str:
    """The subject with the install's prefix (Vidjil's SMTP_EMAIL_SUBJECT_START)."""
    return f"{settings.smtp_email_subject_start} {subject}".strip()


def scrub(settings: Settings, text: str) -> str:
    """`text` without the SMTP password (a server may echo what it was sent)."""
    password = settings.smtp_credentials.partition(":")[2]
    return text.replace(password, "***") if password else text


def smtp_user(settings: Settings) -> str:
    return settings.smtp_credentials.partition(":")[0]


def _address(settings: Settings) -> tuple[str, int]:
    host, _, port = settings.smtp_server.rpartition(":")
    if not host or not port.isdigit():
        return settings.smtp_server, 465 if settings.smtp_ssl else 25
    return host, int(port)


def send(settings: Settings, to: str, subject: str, body: str) -> None:
    if not configured(settings):
        raise MailError("e-mail is not configured: set smtp_server and smtp_from_email")
    message = EmailMessage()
    message["From"] = settings.smtp_from_email
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    host, port = _address(settings)
    try:
        _deliver(settings, host, port, message)
    except (OSError, smtplib.SMTPException) as error:
        reason = scrub(settings, str(error) or type(error).__name__)
        raise MailError(f"the e-mail to {to} could not be sent: {reason}") from None


def _deliver(settings: Settings, host: str, port: int, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.smtp_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo(settings.smtp_domain)
        if settings.smtp_tls and not settings.smtp_ssl:
            client.starttls(context=context)
            client.ehlo(settings.smtp_domain)
        if settings.smtp_credentials:
            user, _, password = settings.smtp_credentials.partition(":")
            client.login(user, password)
        client.send_message(message)


# -- the log of the app's e-mails ---------------------------------------------------------------
@dataclass(frozen=True)
class SentMail:
    """One e-mail of the log, as the admin page shows it (no body)."""

    id: int
    created_at: str
    kind: str
    recipient: str
    subject: str
    status: str  # queued (maybe for another try), sent, failed (given up)
    attempts: int
    sent_at: str | None
    error: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SentMail:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def queue(db: sqlite_utils.Database, *, kind: str, to: str, subject: str, body: str) -> int:
    """Log an e-mail to send (inside the caller's transaction); `deliver_due` sends it."""
    row = {"created_at": now(), "kind": kind, "recipient": to, "subject": subject, "body": body}
    return int(db.table("mail_log").insert(row).last_pk or 0)


def deliver_due(database: Database, settings: Settings, *, limit: int = 50) -> int:
    """Send the queued e-mails whose time has come; returns how many went out. Each row is
    claimed before it is sent, so two senders (the app's thread, a command) never send it twice."""
    rows = (
        database.db()
        .execute(
            "SELECT id FROM mail_log WHERE status = 'queued' "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            [now(), limit],
        )
        .fetchall()
    )
    sent = 0
    for (mail_id,) in rows:
        claimed = _claim(database, int(mail_id))
        if claimed is not None:
            sent += _attempt(database, settings, int(mail_id), *claimed)
    return sent


def _claim(database: Database, mail_id: int) -> tuple[str, str, str, int] | None:
    with database.write() as db:
        taken = db.execute(
            "UPDATE mail_log SET next_attempt_at = ? WHERE id = ? AND status = 'queued' "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            [SENDING, mail_id, now()],
        ).rowcount
        if not taken:
            return None
        row = db.execute(
            "SELECT recipient, subject, body, attempts FROM mail_log WHERE id = ?", [mail_id]
        ).fetchone()
    return str(row[0]), str(row[1]), str(row[2] or ""), int(row[3])


def release_claims(database: Database) -> None:
    """At start: rows a stopped process was sending go back to the queue."""
    with database.write() as db:
        db.execute(
            "UPDATE mail_log SET next_attempt_at = NULL WHERE status = 'queued' "
            "AND next_attempt_at = ?",
            [SENDING],
        )


def _attempt(
    database: Database,
    settings: Settings,
    mail_id: int,
    recipient: str,
    subject: str,
    body: str,
    attempts: int,
) -> int:
    try:
        send(settings, recipient, subject, body)
    except MailError as error:
        _record_failure(database, mail_id, attempts + 1, error.message)
        return 0
    with database.write() as db:
        db.execute(
            "UPDATE mail_log SET status = 'sent', sent_at = ?, attempts = ?, body = NULL, "
            "next_attempt_at = NULL, error = '' WHERE id = ?",
            [now(), attempts + 1, mail_id],
        )
    return 1


def _record_failure(database: Database, mail_id: int, attempts: int, message: str) -> None:
    final = attempts >= MAX_ATTEMPTS
    later = None
    if not final:
        wait = timedelta(minutes=RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1])
        later = (datetime.now(UTC) + wait).isoformat(timespec="milliseconds")
    with database.write() as db:
        db.execute(
            "UPDATE mail_log SET status = ?, attempts = ?, next_attempt_at = ?, error = ?, "
            "body = CASE WHEN ? THEN NULL ELSE body END WHERE id = ?",
            ["failed" if final else "queued", attempts, later, message, final, mail_id],
        )


def send_logged(
    database: Database, settings: Settings, *, kind: str, to: str, subject: str, body: str
) -> SentMail:
    """Send at once, log how it went (one attempt, no retry), and return the log row."""
    with database.write() as db:
        mail_id = queue(db, kind=kind, to=to, subject=subject, body=body)
        db.execute("UPDATE mail_log SET next_attempt_at = ? WHERE id = ?", [SENDING, mail_id])
    try:
        send(settings, to, subject, body)
    except MailError as error:
        _record_failure(database, mail_id, MAX_ATTEMPTS, error.message)
    else:
        with database.write() as db:
            db.execute(
                "UPDATE mail_log SET status = 'sent', sent_at = ?, attempts = 1, body = NULL, "
                "next_attempt_at = NULL WHERE id = ?",
                [now(), mail_id],
            )
    return get(database, mail_id)


def get(database: Database, mail_id: int) -> SentMail:
    rows = list(database.db().query("SELECT * FROM mail_log WHERE id = ?", [mail_id]))
    return SentMail.from_row(rows[0])


def recent(database: Database, *, limit: int = 50, failed_only: bool = False) -> list[SentMail]:
    where = "WHERE status = 'failed' OR error != ''" if failed_only else ""
    rows = database.db().query(f"SELECT * FROM mail_log {where} ORDER BY id DESC LIMIT ?", [limit])
    return [SentMail.from_row(row) for row in rows]


def counts(database: Database) -> dict[str, int]:
    rows = database.db().execute("SELECT status, count(*) FROM mail_log GROUP BY status")
    return {str(status): int(count) for status, count in rows.fetchall()}


def prune(database: Database, *, keep: int = KEPT_ROWS) -> None:
    """Drop the oldest rows that are done (sent or failed) beyond the last `keep`."""
    with database.write() as db:
        db.execute(
            "DELETE FROM mail_log WHERE status != 'queued' AND id <= "
            "(SELECT id FROM mail_log ORDER BY id DESC LIMIT 1 OFFSET ?)",
            [keep],
        )
