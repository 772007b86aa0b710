"""Migration m005: Vidjil's default config `multi+inc+xxx` seeded and preselected; `multi-locus`
becomes the seven complete loci (Vidjil's `multi`), unless an administrator changed it."""

from __future__ import annotations

import json
from pathlib import Path

from vidjil_local.db import Database, connect, migrate
from vidjil_local.db.migrations import DEFAULT_CONFIG, SEVEN_LOCI, migrations
from vidjil_local.germline import load_germline
from vidjil_local.services.analyses import configs

MIGRATION = "m005_default_config_multi_inc_xxx"


def test_a_new_database_analyses_with_multi_inc_xxx_by_default(tmp_path: Path) -> None:
    database = Database(tmp_path / "v.sqlite")
    migrate(database.db())
    listed = configs.list_configs(database)
    default = listed[0]
    assert default.name == DEFAULT_CONFIG and default.is_default
    assert default.germline == "human" and default.options["unexpected"] is True
    assert [config.name for config in listed if config.is_default] == [DEFAULT_CONFIG]
    by_name = {config.name: config for config in listed}
    assert by_name["multi-locus"].germline == SEVEN_LOCI
    assert "unexpected" not in by_name["multi-locus"].options
    # the default analyses every system of the bundled set, incomplete ones included
    systems = [locus.name for locus in load_germline(default.germline).germline_set.loci]
    assert {"IGH+", "TRA+D"} <= set(systems)
    seven = load_germline(by_name["multi-locus"].germline).germline_set.loci
    assert [locus.name for locus in seven] == ["IGH", "IGK", "IGL", "TRA", "TRB", "TRG", "TRD"]
    database.close()


def test_an_edited_database_keeps_its_configs(tmp_path: Path) -> None:
    """An administrator had changed multi-locus and made a config of the same name."""
    db = connect(tmp_path / "v.sqlite")
    migrations.apply(db, stop_before=MIGRATION)
    db.execute("UPDATE configs SET germline = 'human:IGH' WHERE name = 'multi-locus'")
    (igh,) = db.table("configs").rows_where("name = 'IGH'")
    db.table("configs").insert({**igh, "id": None, "name": DEFAULT_CONFIG})
    migrate(db)
    rows = {r["name"]: r for r in db.table("configs").rows}
    assert rows["multi-locus"]["germline"] == "human:IGH"
    assert rows[DEFAULT_CONFIG]["is_default"] == 0  # the administrator's own
    added = rows[f"{DEFAULT_CONFIG} (human)"]
    assert added["is_default"] == 1 and json.loads(added["options"])["unexpected"] is True
    db.conn.close()
