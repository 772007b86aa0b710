"""Worker machines; login throttles and pending two-factor logins."""

from __future__ import annotations

import sqlite_utils

from vidjil_local.db.migrations.registry import migrations


@migrations()
def m011_workers(db: sqlite_utils.Database) -> None:
    """Worker machines (tokens kept as hashes) and the lease a worker machine holds on its job."""
    db.execute(
        "CREATE TABLE workers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT "
        "NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id) ON DELETE "
        "SET NULL, revoked_at TEXT, host TEXT, version TEXT, cores INTEGER, address TEXT, "
        "last_seen_at TEXT, jobs_done INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("ALTER TABLE jobs ADD COLUMN worker_id INTEGER REFERENCES workers(id)")
    db.execute("ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT")
    db.execute("CREATE INDEX jobs_worker ON jobs (worker_id, status)")


@migrations()
def m012_login_security(db: sqlite_utils.Database) -> None:
    """Wrong passwords slow logins down (per account and per address) instead of locking
    accounts; two-factor codes wait in a table, so their tries count per login, not per
    request. Accounts locked by wrong passwords under the old rule are unlocked (an
    administrator's own locks stay)."""
    for statement in LOGIN_SECURITY_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


LOGIN_SECURITY_SCHEMA = """
CREATE TABLE login_throttles (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL,
    throttled_until TEXT
);
CREATE TABLE pending_logins (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0
);
UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE locked_at IS NOT NULL AND (
    SELECT action FROM audit_log WHERE table_name = 'users' AND record_id = users.id
    AND action IN ('account_locked', 'lock_user', 'unlock_user') ORDER BY id DESC LIMIT 1
) = 'account_locked'
"""
