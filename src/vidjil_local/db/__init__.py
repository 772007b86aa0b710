"""SQLite access: connections with the project's pragmas, write transactions, migrations."""

from vidjil_local.db.connect import Database, connect, write_transaction
from vidjil_local.db.migrations import check_not_newer, migrate, pending_names, schema_version

__all__ = [
    "Database",
    "check_not_newer",
    "connect",
    "migrate",
    "pending_names",
    "schema_version",
    "write_transaction",
]
