"""Configs per group, e-mail and notifications, the follow-up (MRD) configs."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from vidjil_local.db.migrations.m004_m007 import (
    SEVEN_LOCI,
    STANDARD_OPTIONS,
    SeedConfig,
    insert_configs,
)
from vidjil_local.db.migrations.registry import migrations


@migrations()
def m008_config_groups(db: sqlite_utils.Database) -> None:
    """Configs offered to chosen groups only (Vidjil's `read` permission on a config). Every
    existing config stays offered to every user (`restricted` 0); a restricted config is offered
    to the groups listed here, and stays restricted when its last group is deleted."""
    db.execute("ALTER TABLE configs ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """
        CREATE TABLE config_groups (
            config_id INTEGER NOT NULL REFERENCES configs (id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
            PRIMARY KEY (config_id, group_id)
        )
        """
    )
    db.execute("CREATE INDEX config_groups_group ON config_groups (group_id)")


@migrations()
def m009_mail_and_notifications(db: sqlite_utils.Database) -> None:
    """The e-mails the app sends (kept for the E-mail admin page; a body only until sent), the
    rate limit of the admins' alerts, the users' notification preference, and which finished
    jobs were already told to their user (jobs finished before this migration count as told)."""
    for statement in MAIL_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO job_notices (job_id, noticed_at) SELECT id, ? FROM jobs "
        "WHERE status IN ('completed', 'failed', 'cancelled')",
        [datetime.now(UTC).isoformat(timespec="milliseconds")],
    )


MAIL_SCHEMA = """
CREATE TABLE mail_log (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at TEXT,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_log_status ON mail_log (status, next_attempt_at);
CREATE TABLE admin_alerts (
    key TEXT PRIMARY KEY,
    last_sent_at TEXT,
    suppressed INTEGER NOT NULL DEFAULT 0,
    suppressed_since TEXT,
    window_start TEXT,
    window_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE notification_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    analyses TEXT NOT NULL DEFAULT 'all' CHECK (analyses IN ('all', 'failed', 'none'))
);
CREATE TABLE job_notices (
    job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    noticed_at TEXT NOT NULL
)
"""


@migrations()
def m010_mrd_configs(db: sqlite_utils.Database) -> None:
    """Follow-up (MRD) configs keeping every clone from one read, as Vidjil's `-r 1` configs."""
    insert_configs(db, MRD_CONFIGS)


_MRD = "MRD follow-up"
_ONE_READ: dict[str, object] = {**STANDARD_OPTIONS, "min_reads": 1}
_MRD_USE = "Use it for every sample of the patient, so that they are fused together."
MRD_CONFIGS: tuple[SeedConfig, ...] = (
    (
        "multi-locus MRD",
        "vidjil-local",
        SEVEN_LOCI,
        _ONE_READ,
        f"The seven complete human loci, every clone kept from 1 read (min_reads 1). {_MRD_USE}",
        _MRD,
    ),
    (
        "IGH MRD",
        "vidjil-local",
        "human:IGH",
        {**_ONE_READ, "window_length": 60},
        f"IGH, 60-nt windows, every clone kept from 1 read. {_MRD_USE}",
        _MRD,
    ),
    ("IGK MRD", "vidjil-local", "human:IGK", _ONE_READ, f"IGK, from 1 read. {_MRD_USE}", _MRD),
    ("TRG MRD", "vidjil-local", "human:TRG", _ONE_READ, f"TRG, from 1 read. {_MRD_USE}", _MRD),
    ("TRD MRD", "vidjil-local", "human:TRD", _ONE_READ, f"TRD, from 1 read. {_MRD_USE}", _MRD),
)
