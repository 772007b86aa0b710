"""E-mails to the administrators (`smtp_admin_emails`, with the subject prefix) about what needs
them: an unhandled server error, a job that crashed after its last retry, a failed backup.

`notify_admins(settings, subject, body)` is the one entry, for the app and the command line
alike. It is rate-limited so that a storm of errors sends a few e-mails, not thousands: one
e-mail per alert `key` (same kind of error at the same place) every KEY_INTERVAL, and at most
MAX_PER_WINDOW alert e-mails per WINDOW for the whole install. What the limit holds back is
counted, and the next e-mail of that key says how many were not sent; the E-mail admin page
lists the counts. The limit lives in the database, so every process of the install shares it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.services import mail
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
KEY_INTERVAL = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
MAX_PER_WINDOW = 10
WHOLE_INSTALL = "*"  # the admin_alerts row counting every alert of the current window
KEY_LENGTH = 200


@dataclass(frozen=True)
class AlertOutcome:
    reason: str  # sent, rate_limited, not_configured, no_admin_addresses, failed
    mail_ids: tuple[int, ...] = ()

    @property
    def sent(self) -> bool:
        return self.reason == "sent"


@dataclass(frozen=True)
class AlertState:
    key: str
    last_sent_at: str | None
    suppressed: int
    suppressed_since: str | None


def notify_admins(
    settings: Settings,
    subject: str,
    body: str,
    *,
    key: str | None = None,
    database: Database | None = None,
) -> AlertOutcome:
    """E-mail `subject` (prefixed) and `body` to every address of `smtp_admin_emails`, now,
    unless the rate limit holds it back. Never raises: an alert that cannot be sent is logged."""
    if not mail.configured(settings):
        return AlertOutcome("not_configured")
    if not settings.smtp_admin_emails:
        return AlertOutcome("no_admin_addresses")
    own = database is None
    used = database if database is not None else Database(settings.database_path)
    try:
        return _notify(used, settings, subject, body, (key or subject)[:KEY_LENGTH])
    except Exception:  # the database itself may be what failed: say so in the log, go on
        log.exception("the e-mail to the administrators about %r could not be sent", subject)
        return AlertOutcome("failed")
    finally:
        if own:
            used.close()


def _notify(
    database: Database, settings: Settings, subject: str, body: str, key: str
) -> AlertOutcome:
    with database.write() as db:
        held_back = _take_slot(db, key)
        if held_back is None:
            return AlertOutcome("rate_limited")
        text = body + _held_back_note(held_back)
        line = mail.subject_line(settings, subject)
        mail_ids = tuple(
            mail.queue(db, kind="admin_alert", to=address, subject=line, body=text)
            for address in settings.smtp_admin_emails
        )
    mail.deliver_due(database, settings)
    return AlertOutcome("sent", mail_ids)


def _take_slot(db: sqlite_utils.Database, key: str) -> tuple[int, str | None] | None:
    """Use one e-mail of the limit for `key`: (how many were held back before, since when), or
    None when the limit holds this one back (it is counted)."""
    moment = datetime.now(UTC)
    whole = _row(db, WHOLE_INSTALL)
    window_start = whole.get("window_start")
    if window_start is None or _parse(window_start) <= moment - WINDOW:
        whole.update(window_start=moment.isoformat(timespec="milliseconds"), window_count=0)
    row = _row(db, key)
    recent = row.get("last_sent_at") and _parse(row["last_sent_at"]) > moment - KEY_INTERVAL
    if recent or whole["window_count"] >= MAX_PER_WINDOW:
        row["suppressed"] += 1
        row["suppressed_since"] = row.get("suppressed_since") or now()
        _save(db, row, whole)
        return None
    held_back = (int(row["suppressed"]), row.get("suppressed_since"))
    row.update(last_sent_at=now(), suppressed=0, suppressed_since=None)
    whole["window_count"] += 1
    _save(db, row, whole)
    return held_back


def _row(db: sqlite_utils.Database, key: str) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM admin_alerts WHERE key = ?", [key]))
    return rows[0] if rows else {"key": key, "suppressed": 0, "window_count": 0}


def _save(db: sqlite_utils.Database, *rows: dict[str, Any]) -> None:
    for row in rows:
        db.table("admin_alerts").upsert(row, pk="key")


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def _held_back_note(held_back: tuple[int, str | None]) -> str:
    count, since = held_back
    if not count:
        return ""
    return (
        f"\n\n{count} more alert(s) of this kind since {since} were not e-mailed (rate limit: "
        f"one every {int(KEY_INTERVAL.total_seconds() // 60)} minutes per kind, "
        f"{MAX_PER_WINDOW} an hour in all). See the server log.\n"
    )


def states(database: Database) -> list[AlertState]:
    """The alerts sent or held back, most recent first (for the E-mail admin page)."""
    rows = database.db().query(
        "SELECT key, last_sent_at, suppressed, suppressed_since FROM admin_alerts "
        "WHERE key != ? ORDER BY coalesce(last_sent_at, suppressed_since) DESC",
        [WHOLE_INSTALL],
    )
    return [AlertState(**row) for row in rows]
