"""The first schema: the job queue, meta and login tokens, the lab's tables."""

from __future__ import annotations

import sqlite_utils

from vidjil_local.db.migrations.registry import migrations


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
