"""The one sqlite-utils migration set of the app; each `m*.py` module registers its migrations on
it at import, in the order the package imports them."""

from __future__ import annotations

from sqlite_utils import Migrations

MIGRATION_SET = "vidjil_local"
migrations = Migrations(MIGRATION_SET)
