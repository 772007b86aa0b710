"""Each user's choice of the e-mails about their analyses: every ending (the default: an analysis
may run for hours, and one e-mail covers all the samples launched together), failures only, or
none. Users change their own; the default holds until they do."""

from __future__ import annotations

from typing import Literal, cast, get_args

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.errors import UsageError
from vidjil_local.services import audit

AnalysisNotices = Literal["all", "failed", "none"]
CHOICES: tuple[AnalysisNotices, ...] = get_args(AnalysisNotices)
DEFAULT: AnalysisNotices = "all"


def analysis_notices(db: sqlite_utils.Database, user_id: int) -> AnalysisNotices:
    row = db.execute(
        "SELECT analyses FROM notification_preferences WHERE user_id = ?", [user_id]
    ).fetchone()
    return cast(AnalysisNotices, row[0]) if row else DEFAULT


def get(database: Database, user_id: int) -> AnalysisNotices:
    return analysis_notices(database.db(), user_id)


def change(database: Database, actor: audit.Actor, user_id: int, value: str) -> AnalysisNotices:
    if value not in CHOICES:
        raise UsageError(
            f"analyses: {value!r} is not one of {', '.join(CHOICES)}", choices=list(CHOICES)
        )
    with database.write() as db:
        db.table("notification_preferences").upsert(
            {"user_id": user_id, "analyses": value}, pk="user_id"
        )
        audit.record(db, actor, "change_notifications", "users", user_id, analyses=value)
    return value
