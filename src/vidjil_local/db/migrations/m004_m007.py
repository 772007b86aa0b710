"""Configs seeded and the default config; backup runs and the scheduler's jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils

from vidjil_local.db.migrations.registry import migrations


@migrations()
def m004_seed_configs(db: sqlite_utils.Database) -> None:
    """Vidjil's usual analysis configs (its init_db_helper presets), and the import config."""
    insert_configs(db, SEED_CONFIGS)


SeedConfig = tuple[str, str, str, dict[str, object], str, str]  # name ... classification


def insert_configs(db: sqlite_utils.Database, configs: tuple[SeedConfig, ...]) -> None:
    """Insert seeded configs, all with the same creation time (m004 and the later seeds)."""
    created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    for name, program, germline, options, description, classification in configs:
        db.table("configs").insert(
            {
                "name": name,
                "program": program,
                "germline": germline,
                "options": json.dumps(options),
                "description": description,
                "classification": classification,
                "created_at": created_at,
            }
        )


_VDJ = "Human V(D)J"
_OTHER = "Other software"
STANDARD_OPTIONS: dict[str, object] = {
    "window_length": 50,
    "max_evalue": 1.0,
    "top": 100,
    "min_reads": 5,
}
_LONG_WINDOW: dict[str, object] = {**STANDARD_OPTIONS, "window_length": 60}
SEED_CONFIGS: tuple[tuple[str, str, str, dict[str, object], str, str], ...] = (
    (
        "multi-locus",
        "vidjil-local",
        "human",
        STANDARD_OPTIONS,
        "Default: every human IG and TR locus, 50-nt windows, the 100 top clones designated.",
        _VDJ,
    ),
    ("IGH", "vidjil-local", "human:IGH", _LONG_WINDOW, "IGH only, 60-nt windows.", _VDJ),
    ("IGK", "vidjil-local", "human:IGK", STANDARD_OPTIONS, "IGK only.", _VDJ),
    ("IGL", "vidjil-local", "human:IGL", _LONG_WINDOW, "IGL only, 60-nt windows.", _VDJ),
    ("TRG", "vidjil-local", "human:TRG", STANDARD_OPTIONS, "TRG only.", _VDJ),
    ("TRA/TRB", "vidjil-local", "human:TRA,TRB", STANDARD_OPTIONS, "TRA and TRB.", _VDJ),
    ("TRD", "vidjil-local", "human:TRD", STANDARD_OPTIONS, "TRD only.", _VDJ),
    (
        "clonality",
        "vidjil-local",
        "human",
        {**STANDARD_OPTIONS, "window_length": 90},
        "Every locus with 90-nt windows, which split clones less often.",
        _VDJ,
    ),
    (
        "import",
        "import",
        "human",
        {},
        "Take an uploaded .vidjil or AIRR TSV file made elsewhere as the result.",
        _OTHER,
    ),
)


@migrations()
def m005_default_config_multi_inc_xxx(db: sqlite_utils.Database) -> None:
    """Vidjil's default config `multi+inc+xxx` (every system of the human set, incomplete and
    unexpected recombinations included), preselected for new analyses; `multi-locus` becomes
    Vidjil's `multi`: the seven complete loci, as its results so far were."""
    db.execute("ALTER TABLE configs ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE configs SET germline = ?, description = ? WHERE name = ? AND germline = ?",
        [SEVEN_LOCI, "The seven complete human loci (IGH, IGK, IGL, TRA, TRB, TRG, TRD), "
         "50-nt windows, the 100 top clones designated.", "multi-locus", "human"],
    )  # fmt: skip
    taken = db.execute("SELECT 1 FROM configs WHERE name = ?", [DEFAULT_CONFIG]).fetchone()
    name = DEFAULT_CONFIG if taken is None else f"{DEFAULT_CONFIG} (human)"
    db.table("configs").insert(
        {
            "name": name,
            "program": "vidjil-local",
            "germline": "human",
            "options": json.dumps({**STANDARD_OPTIONS, "unexpected": True}),
            "description": "Default: every human system, with incomplete recombinations (IGH+ "
            "D-J, TRA+D Vδ-Jα) and unexpected ones between loci (xxx), 50-nt windows, the 100 "
            "top clones designated.",
            "classification": _VDJ,
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "is_default": 1,
        }
    )


DEFAULT_CONFIG = "multi+inc+xxx"
SEVEN_LOCI = "human:IGH,IGK,IGL,TRA,TRB,TRG,TRD"


@migrations()
def m006_backup_runs(db: sqlite_utils.Database) -> None:
    """The history of backups (the backups themselves are in their folder), and the id that
    marks a backup folder as this installation's."""
    db.execute(
        """
        CREATE TABLE backup_runs (
            id INTEGER PRIMARY KEY,
            trigger TEXT NOT NULL,
            destination TEXT NOT NULL,
            snapshot TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            user_id INTEGER,
            files INTEGER,
            bytes INTEGER,
            new_bytes INTEGER,
            seconds REAL,
            deleted TEXT NOT NULL DEFAULT '[]',
            warnings TEXT NOT NULL DEFAULT '[]',
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX backup_runs_status ON backup_runs (status, id)")
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('install_id', lower(hex(randomblob(16))))"
    )


@migrations()
def m007_scheduler_jobs(db: sqlite_utils.Database) -> None:
    """APScheduler's jobs (services/backups/job_store.py): the scheduled backup and its next run
    time outlive the app, so a time missed while it was stopped is made up at the next start."""
    db.execute(
        """
        CREATE TABLE scheduler_jobs (
            id TEXT PRIMARY KEY,
            next_run_time REAL,
            job_state TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX scheduler_jobs_next_run_time ON scheduler_jobs (next_run_time)")
