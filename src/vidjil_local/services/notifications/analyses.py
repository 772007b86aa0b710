"""Telling users that their analyses ended: one e-mail per set and launch, not one per sample.

When an analysis job reaches its end (completed, failed, or cancelled), nothing is sent while
another analysis of the same user on the same set is still queued or running. When the last one
ends, one e-mail lists every analysis of that user and set that ended since the last e-mail (the
`job_notices` rows mark them told), as the user's preference asks. The e-mail names a patient by
its pseudonym (id label) or number, never by name; it gives the sample file names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.services import mail
from vidjil_local.services.notifications import preferences
from vidjil_local.settings import Settings

ANALYSIS = "analysis"
ENDED = ("completed", "failed", "cancelled")
WORDS = {"completed": "finished", "failed": "failed", "cancelled": "cancelled"}


@dataclass(frozen=True)
class Ended:
    """One analysis of the e-mail."""

    job_id: int
    status: str
    sample: str
    config: str
    error: str


def job_ended(database: Database, settings: Settings, job_id: int) -> int | None:
    """Queue the e-mail about the analyses of this job's user and set when it was the last one
    running; returns the e-mail's log id (None: nothing to send yet, or not wanted)."""
    with database.write() as db:
        job = db.execute(
            "SELECT kind, user_id, sample_set_id FROM jobs WHERE id = ?", [job_id]
        ).fetchone()
        if job is None or job[0] != ANALYSIS or job[1] is None or job[2] is None:
            return None
        user_id, set_id = int(job[1]), int(job[2])
        if _still_running(db, user_id, set_id):
            return None
        ended = _untold(db, user_id, set_id)
        db.conn.executemany(
            "INSERT OR IGNORE INTO job_notices (job_id, noticed_at) VALUES (?, ?)",
            [(item.job_id, now()) for item in ended],
        )
        wanted = _wanted(ended, preferences.analysis_notices(db, user_id))
        if not wanted or not mail.configured(settings):
            return None
        email = db.execute("SELECT email FROM users WHERE id = ?", [user_id]).fetchone()
        if email is None:
            return None
        subject, body = compose(wanted, ended, set_label(db, set_id))
        return mail.queue(
            db, kind="analyses", to=str(email[0]), subject=mail.subject_line(settings, subject),
            body=body,
        )  # fmt: skip


def _still_running(db: sqlite_utils.Database, user_id: int, set_id: int) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM jobs WHERE kind = ? AND user_id = ? AND sample_set_id = ? "
            "AND status IN ('queued', 'running') LIMIT 1",
            [ANALYSIS, user_id, set_id],
        ).fetchone()
        is not None
    )


def _untold(db: sqlite_utils.Database, user_id: int, set_id: int) -> list[Ended]:
    rows = db.query(
        "SELECT j.id, j.status, j.error, s.original_name, c.name AS config FROM jobs j "
        "LEFT JOIN samples s ON s.id = j.sample_id LEFT JOIN configs c ON c.id = j.config_id "
        "WHERE j.kind = ? AND j.user_id = ? AND j.sample_set_id = ? AND j.status IN (?, ?, ?) "
        "AND j.id NOT IN (SELECT job_id FROM job_notices) ORDER BY j.id",
        [ANALYSIS, user_id, set_id, *ENDED],
    )
    return [
        Ended(
            job_id=row["id"],
            status=row["status"],
            sample=row["original_name"] or f"sample of job {row['id']}",
            config=row["config"] or "",
            error=_error_message(row["error"]),
        )
        for row in rows
    ]


def _error_message(stored: str | None) -> str:
    if not stored:
        return ""
    error: Any = json.loads(stored)
    return str(error.get("message", "")) if isinstance(error, dict) else str(error)


def _wanted(ended: list[Ended], choice: preferences.AnalysisNotices) -> list[Ended]:
    if choice == "none":
        return []
    if choice == "failed" and not any(item.status == "failed" for item in ended):
        return []
    return ended


def set_label(db: sqlite_utils.Database, set_id: int) -> str:
    """How an e-mail names a set: a patient by pseudonym or number, never by name."""
    row = db.execute(
        "SELECT kind, name, id_label FROM sample_sets WHERE id = ?", [set_id]
    ).fetchone()
    if row is None:
        return f"set {set_id} (deleted)"
    kind, name, id_label = row
    if kind == "patient":
        return f"patient {id_label} (set {set_id})" if id_label else f"patient set {set_id}"
    return f"{kind} {name!r} (set {set_id})" if name else f"{kind} set {set_id}"


def compose(wanted: list[Ended], ended: list[Ended], label: str) -> tuple[str, str]:
    tally = {word: sum(item.status == status for item in ended) for status, word in WORDS.items()}
    summary = ", ".join(f"{count} {word}" for word, count in tally.items() if count)
    subject = f"analyses on {label}: {summary}"
    lines = [
        f"The analyses you launched on {label} have ended: {summary}.",
        "",
        *(_line(item) for item in wanted),
        "",
        "Open vidjil-local to see the results on the set's page.",
        "You get this e-mail because of your notification preference; change it under "
        "'My account' in vidjil-local.",
    ]
    return subject, "\n".join(lines) + "\n"


def _line(item: Ended) -> str:
    config = f" ({item.config})" if item.config else ""
    error = f": {item.error}" if item.error else ""
    return f"  {WORDS[item.status]:<9} {item.sample}{config}{error}"
