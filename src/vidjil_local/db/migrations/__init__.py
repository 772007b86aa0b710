"""The schema as code: numbered migrations, applied at start (`serve`, desktop launch) and by
`migrate`. One module per few migrations (`m001_m003.py`...), registered in the order imported
here (the modules' names sort in that order too); a new migration goes into the last module, or a
new one imported after it.

A database that has migrations this code does not know was written by a newer vidjil-local; it is
refused with a clear message rather than used half-understood.
"""

from __future__ import annotations

import sqlite_utils

from vidjil_local.db.migrations import m001_m003, m004_m007, m008_m010, m011_m012, m013_m015
from vidjil_local.db.migrations.m004_m007 import DEFAULT_CONFIG, SEVEN_LOCI
from vidjil_local.db.migrations.registry import MIGRATION_SET, migrations
from vidjil_local.errors import DatabaseError

# imported for their migrations, in this order
MODULES = (m001_m003, m004_m007, m008_m010, m011_m012, m013_m015)
__all__ = [
    "DEFAULT_CONFIG",
    "MIGRATION_SET",
    "SEVEN_LOCI",
    "applied_names",
    "check_not_newer",
    "known_names",
    "migrate",
    "migrations",
    "pending_names",
    "schema_version",
]


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
