"""An exchange archive carries every column of the tables it exports, or names it as left behind
(`records.DROPPED`): a migration adding a column must say what an export does with it."""

from __future__ import annotations

import pytest

from vidjil_local.db import Database
from vidjil_local.services.exchange import records


@pytest.mark.parametrize("table", sorted(records.ROW_MODELS))
def test_every_column_is_carried_or_dropped(database: Database, table: str) -> None:
    in_database = {column.name for column in database.db()[table].columns}
    carried = set(records.columns(table))
    dropped = records.DROPPED.get(table, frozenset())
    assert carried <= in_database, f"the archive names columns {table} does not have"
    assert in_database - carried == dropped, f"{table}: say whether an export carries them"
