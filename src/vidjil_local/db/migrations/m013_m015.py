"""A paired sample named otherwise than its R1 keeps the R1's own file name."""

from __future__ import annotations

import sqlite_utils

from vidjil_local.db.migrations.registry import migrations


@migrations()
def m013_sample_r1_name(db: sqlite_utils.Database) -> None:
    """`original_name1`: the R1's own file name when `original_name` names the sample otherwise
    (a pair named from the common part of its two names); NULL when they are the same, as for
    every sample made before. The sequencer's names say run, lane and index: a lab keeps them."""
    db.execute("ALTER TABLE samples ADD COLUMN original_name1 TEXT")
