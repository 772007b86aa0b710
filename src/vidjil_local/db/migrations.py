"""The schema as code: numbered migrations, applied at start (`serve`, desktop launch) and by
`migrate`.

A database that has migrations this code does not know was written by a newer vidjil-local; it is
refused with a clear message rather than used half-understood.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from vidjil_local.errors import DatabaseError

MIGRATION_SET = "vidjil_local"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_jobs(db: sqlite_utils.Database) -> None:
    """The durable job queue: the row is the truth, the broker only carries its id."""
    db.execute(
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
            progress REAL NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            result TEXT,
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX jobs_status ON jobs (status, id)")


@migrations()
def m002_meta_and_login_tokens(db: sqlite_utils.Database) -> None:
    """Install facts (schema version, install id) and the one-time login URLs of the launcher."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """
        CREATE TABLE login_tokens (
            token_hash TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """
    )


def known_names() -> list[str]:
    return [migration.name for migration in migrations._migrations]


def applied_names(db: sqlite_utils.Database) -> list[str]:
    if not db[migrations.migrations_table].exists():
        return []
    return [
        str(row["name"])
        for row in db[migrations.migrations_table].rows_where("migration_set = ?", [MIGRATION_SET])
    ]


def schema_version(db: sqlite_utils.Database) -> int:
    return len(applied_names(db))


def check_not_newer(db: sqlite_utils.Database) -> None:
    unknown = sorted(set(applied_names(db)) - set(known_names()))
    if unknown:
        raise DatabaseError(
            f"this database was written by a newer vidjil-local (schema migrations "
            f"{', '.join(unknown)} are unknown to this version {len(known_names())}); "
            "install the newer version or restore a backup made by this one",
            unknown_migrations=unknown,
        )


def pending_names(db: sqlite_utils.Database) -> list[str]:
    check_not_newer(db)
    done = set(applied_names(db))
    return [name for name in known_names() if name not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the pending migrations; return their names. Refuses a newer database."""
    pending = pending_names(db)
    migrations.apply(db)
    db.table("meta").upsert({"key": "schema_version", "value": str(schema_version(db))}, pk="key")
    return pending
