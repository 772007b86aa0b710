"""SQLite access: connections with the project's pragmas, write transactions, migrations, copies."""

from vidjil_local.db import _lean_import  # noqa: F401  (first: sqlite-utils without pandas)
from vidjil_local.db.backup import copy_database, integrity_problems
from vidjil_local.db.connect import Database, after_commit, connect, write_transaction
from vidjil_local.db.migrations import check_not_newer, migrate, pending_names, schema_version
from vidjil_local.db.upgrade import Upgrade, forget_upgrade_copies, upgrade_database

__all__ = [
    "Database",
    "Upgrade",
    "after_commit",
    "check_not_newer",
    "connect",
    "copy_database",
    "forget_upgrade_copies",
    "integrity_problems",
    "migrate",
    "pending_names",
    "schema_version",
    "upgrade_database",
    "write_transaction",
]
