"""What a kill -9 or a power cut can leave in the results folder, removed at start (before any
job runs, so no writer is alive):

- temporary files of result writes that never finished (a job's process killed mid-write: the
  job runs again and writes its files whole);
- fused files no `fused_results` row names: `record_fuse` removes the set's previous file after
  its commit, and a fuse stale on arrival removes its own; a kill in between leaves the file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from vidjil_local.db import Database
from vidjil_local.results import unfinished_writes
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def remove_leftovers(database: Database, settings: Settings) -> list[Path]:
    """Remove unfinished writes and unrecorded fused files; returns what was removed."""
    root = settings.results_dir
    if not root.is_dir():
        return []
    removed = list(unfinished_writes(root))
    recorded = {
        root / str(row[0]) for row in database.db().execute("SELECT path FROM fused_results")
    }
    fused = root / "fused"
    if fused.is_dir():
        removed += [path for path in fused.rglob("*") if path.is_file() and path not in recorded]
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        log.warning("removed what interrupted writes left: %s", [str(p) for p in removed])
    return removed
