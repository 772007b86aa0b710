"""The schema upgrade at start: a checked copy of the database first, then the migrations.

The copy (`backups/before-upgrade-<time>-schema<N>.sqlite` in the data folder) is what an
administrator restores if the new version misbehaves; it stays until the next successful start,
which removes it (`forget_upgrade_copies`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vidjil_local.db.backup import copy_database
from vidjil_local.db.connect import Database
from vidjil_local.db.migrations import migrate, pending_names, schema_version

log = logging.getLogger(__name__)
UPGRADE_COPY_PREFIX = "before-upgrade-"


@dataclass(frozen=True)
class Upgrade:
    applied: list[str]
    copy: Path | None  # the copy made before migrating; None for a new or current database


def upgrade_database(database: Database, copies_dir: Path) -> Upgrade:
    """Apply the pending migrations, after a checked copy when an existing database has some.

    A database written by a newer version is refused before anything is copied or changed.
    """
    db = database.db()
    pending = pending_names(db)
    version = schema_version(db)
    copy = None
    if pending and version > 0:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{UPGRADE_COPY_PREFIX}{stamp}-schema{version}.sqlite"
        copy = copy_database(database.path, copies_dir / name)
        log.info("database copied to %s before migrating (%s)", copy, ", ".join(pending))
    applied = migrate(db)
    if applied:
        log.info("database migrated: %s", ", ".join(applied))
    return Upgrade(applied, copy)


def forget_upgrade_copies(copies_dir: Path, keep: Path | None) -> list[Path]:
    """After a successful start: remove the copies made before earlier upgrades, not `keep`."""
    removed = []
    for path in sorted(copies_dir.glob(f"{UPGRADE_COPY_PREFIX}*.sqlite")):
        if keep is None or path.resolve() != keep.resolve():
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        log.info("removed the database copies of earlier upgrades: %s", removed)
    return removed
