"""The schema as code: numbered migrations, applied at start (`serve`, desktop launch) and by
`migrate`.

A database that has migrations this code does not know was written by a newer vidjil-local; it is
refused with a clear message rather than used half-understood.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils
from sqlite_utils import Migrations

from vidjil_local.errors import DatabaseError

MIGRATION_SET = "vidjil_local"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_jobs(db: sqlite_utils.Database) -> None:
    """The durable job queue: the row is the truth, the broker only carries its id."""
    db.execute(
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
            progress REAL NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            result TEXT,
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX jobs_status ON jobs (status, id)")


@migrations()
def m002_meta_and_login_tokens(db: sqlite_utils.Database) -> None:
    """Install facts (schema version, install id) and the one-time login URLs of the launcher."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """
        CREATE TABLE login_tokens (
            token_hash TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """
    )


@migrations()
def m003_lab(db: sqlite_utils.Database) -> None:
    """Accounts, groups and rights, sample sets, samples, analysis configs, results, audit."""
    for statement in LAB_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


LAB_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_at TEXT,
    created_at TEXT NOT NULL,
    last_login_at TEXT,
    password_changed_at TEXT
);
CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    parent_id INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id)
);
CREATE TABLE group_rights (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    name TEXT NOT NULL
        CHECK (name IN ('read', 'create', 'upload', 'run', 'save', 'admin', 'anon')),
    PRIMARY KEY (group_id, name)
);
CREATE TABLE sample_sets (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'run', 'generic')),
    name TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    birth TEXT,
    id_label TEXT NOT NULL DEFAULT '',
    run_date TEXT,
    sequencer TEXT NOT NULL DEFAULT '',
    pcr TEXT NOT NULL DEFAULT '',
    info TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sample_sets_kind ON sample_sets (kind, id);
CREATE TABLE set_access (
    sample_set_id INTEGER NOT NULL REFERENCES sample_sets (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (sample_set_id, group_id)
);
CREATE INDEX set_access_group ON set_access (group_id);
CREATE TABLE samples (
    id INTEGER PRIMARY KEY,
    original_name TEXT NOT NULL,
    stored_name TEXT,
    original_name2 TEXT,
    stored_name2 TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    size2 INTEGER,
    sha256 TEXT,
    sha256_2 TEXT,
    network INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'uploading', 'ready', 'invalid', 'deleted')),
    status_message TEXT NOT NULL DEFAULT '',
    sampling_date TEXT,
    info TEXT NOT NULL DEFAULT '',
    pcr TEXT NOT NULL DEFAULT '',
    sequencer TEXT NOT NULL DEFAULT '',
    producer TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE set_samples (
    sample_set_id INTEGER NOT NULL REFERENCES sample_sets (id) ON DELETE CASCADE,
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sample_set_id, sample_id)
);
CREATE INDEX set_samples_sample ON set_samples (sample_id);
CREATE TABLE configs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    program TEXT NOT NULL CHECK (program IN ('vidjil-local', 'import')),
    germline TEXT NOT NULL DEFAULT 'human',
    options TEXT NOT NULL DEFAULT '{}',
    description TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    config_id INTEGER NOT NULL REFERENCES configs (id),
    job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    folder TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX results_sample_config ON results (sample_id, config_id, id);
CREATE TABLE fused_results (
    sample_set_id INTEGER NOT NULL REFERENCES sample_sets (id) ON DELETE CASCADE,
    config_id INTEGER NOT NULL REFERENCES configs (id),
    path TEXT NOT NULL,
    result_ids TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sample_set_id, config_id)
);
CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    sample_set_id INTEGER NOT NULL REFERENCES sample_sets (id) ON DELETE CASCADE,
    saved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    saved_at TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    user_email TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    table_name TEXT NOT NULL DEFAULT '',
    record_id INTEGER,
    details TEXT NOT NULL DEFAULT '{}',
    client_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_record ON audit_log (table_name, record_id);
ALTER TABLE jobs ADD COLUMN user_id INTEGER;
ALTER TABLE jobs ADD COLUMN sample_id INTEGER;
ALTER TABLE jobs ADD COLUMN config_id INTEGER;
ALTER TABLE jobs ADD COLUMN sample_set_id INTEGER;
CREATE INDEX jobs_sample ON jobs (sample_id, config_id)
"""


@migrations()
def m004_seed_configs(db: sqlite_utils.Database) -> None:
    """Vidjil's usual analysis configs (its init_db_helper presets), and the import config."""
    _insert_configs(db, SEED_CONFIGS)


_VDJ = "Human V(D)J"
_OTHER = "Other software"
_STANDARD: dict[str, object] = {"window_length": 50, "max_evalue": 1.0, "top": 100, "min_reads": 5}
_LONG_WINDOW: dict[str, object] = {**_STANDARD, "window_length": 60}
SEED_CONFIGS: tuple[tuple[str, str, str, dict[str, object], str, str], ...] = (
    (
        "multi-locus",
        "vidjil-local",
        "human",
        _STANDARD,
        "Default: every human IG and TR locus, 50-nt windows, the 100 top clones designated.",
        _VDJ,
    ),
    ("IGH", "vidjil-local", "human:IGH", _LONG_WINDOW, "IGH only, 60-nt windows.", _VDJ),
    ("IGK", "vidjil-local", "human:IGK", _STANDARD, "IGK only.", _VDJ),
    ("IGL", "vidjil-local", "human:IGL", _LONG_WINDOW, "IGL only, 60-nt windows.", _VDJ),
    ("TRG", "vidjil-local", "human:TRG", _STANDARD, "TRG only.", _VDJ),
    ("TRA/TRB", "vidjil-local", "human:TRA,TRB", _STANDARD, "TRA and TRB.", _VDJ),
    ("TRD", "vidjil-local", "human:TRD", _STANDARD, "TRD only.", _VDJ),
    (
        "clonality",
        "vidjil-local",
        "human",
        {**_STANDARD, "window_length": 90},
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
            "options": json.dumps({**_STANDARD, "unexpected": True}),
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


@migrations()
def m008_config_groups(db: sqlite_utils.Database) -> None:
    """Configs offered to chosen groups only (Vidjil's `read` permission on a config). Every
    existing config stays offered to every user (`restricted` 0); a restricted config is offered
    to the groups listed here, and stays restricted when its last group is deleted."""
    db.execute("ALTER TABLE configs ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """
        CREATE TABLE config_groups (
            config_id INTEGER NOT NULL REFERENCES configs (id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
            PRIMARY KEY (config_id, group_id)
        )
        """
    )
    db.execute("CREATE INDEX config_groups_group ON config_groups (group_id)")


@migrations()
def m009_mail_and_notifications(db: sqlite_utils.Database) -> None:
    """The e-mails the app sends (kept for the E-mail admin page; a body only until sent), the
    rate limit of the admins' alerts, the users' notification preference, and which finished
    jobs were already told to their user (jobs finished before this migration count as told)."""
    for statement in MAIL_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO job_notices (job_id, noticed_at) SELECT id, ? FROM jobs "
        "WHERE status IN ('completed', 'failed', 'cancelled')",
        [datetime.now(UTC).isoformat(timespec="milliseconds")],
    )


MAIL_SCHEMA = """
CREATE TABLE mail_log (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at TEXT,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_log_status ON mail_log (status, next_attempt_at);
CREATE TABLE admin_alerts (
    key TEXT PRIMARY KEY,
    last_sent_at TEXT,
    suppressed INTEGER NOT NULL DEFAULT 0,
    suppressed_since TEXT,
    window_start TEXT,
    window_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE notification_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    analyses TEXT NOT NULL DEFAULT 'all' CHECK (analyses IN ('all', 'failed', 'none'))
);
CREATE TABLE job_notices (
    job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    noticed_at TEXT NOT NULL
)
"""


@migrations()
def m010_mrd_configs(db: sqlite_utils.Database) -> None:
    """Follow-up (MRD) configs keeping every clone from one read, as Vidjil's `-r 1` configs."""
    _insert_configs(db, MRD_CONFIGS)


SeedConfig = tuple[str, str, str, dict[str, object], str, str]  # name ... classification


def _insert_configs(db: sqlite_utils.Database, configs: tuple[SeedConfig, ...]) -> None:
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


_MRD = "MRD follow-up"
_ONE_READ: dict[str, object] = {**_STANDARD, "min_reads": 1}
_MRD_USE = "Use it for every sample of the patient, so that they are fused together."
MRD_CONFIGS: tuple[SeedConfig, ...] = (
    (
        "multi-locus MRD",
        "vidjil-local",
        SEVEN_LOCI,
        _ONE_READ,
        f"The seven complete human loci, every clone kept from 1 read (min_reads 1). {_MRD_USE}",
        _MRD,
    ),
    (
        "IGH MRD",
        "vidjil-local",
        "human:IGH",
        {**_ONE_READ, "window_length": 60},
        f"IGH, 60-nt windows, every clone kept from 1 read. {_MRD_USE}",
        _MRD,
    ),
    ("IGK MRD", "vidjil-local", "human:IGK", _ONE_READ, f"IGK, from 1 read. {_MRD_USE}", _MRD),
    ("TRG MRD", "vidjil-local", "human:TRG", _ONE_READ, f"TRG, from 1 read. {_MRD_USE}", _MRD),
    ("TRD MRD", "vidjil-local", "human:TRD", _ONE_READ, f"TRD, from 1 read. {_MRD_USE}", _MRD),
)


@migrations()
def m011_workers(db: sqlite_utils.Database) -> None:
    """Worker machines (tokens kept as hashes) and the lease a worker machine holds on its job."""
    db.execute(
        "CREATE TABLE workers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT "
        "NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id) ON DELETE "
        "SET NULL, revoked_at TEXT, host TEXT, version TEXT, cores INTEGER, address TEXT, "
        "last_seen_at TEXT, jobs_done INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("ALTER TABLE jobs ADD COLUMN worker_id INTEGER REFERENCES workers(id)")
    db.execute("ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT")
    db.execute("CREATE INDEX jobs_worker ON jobs (worker_id, status)")


@migrations()
def m012_login_security(db: sqlite_utils.Database) -> None:
    """Wrong passwords slow logins down (per account and per address) instead of locking
    accounts; two-factor codes wait in a table, so their tries count per login, not per
    request. Accounts locked by wrong passwords under the old rule are unlocked (an
    administrator's own locks stay)."""
    for statement in LOGIN_SECURITY_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


LOGIN_SECURITY_SCHEMA = """
CREATE TABLE login_throttles (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL,
    throttled_until TEXT
);
CREATE TABLE pending_logins (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0
);
UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE locked_at IS NOT NULL AND (
    SELECT action FROM audit_log WHERE table_name = 'users' AND record_id = users.id
    AND action IN ('account_locked', 'lock_user', 'unlock_user') ORDER BY id DESC LIMIT 1
) = 'account_locked'
"""


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
