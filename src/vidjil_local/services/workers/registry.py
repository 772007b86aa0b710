"""Worker machines: the tokens administrators give them, and what the server knows of each.

A token is shown once, when it is made; the database keeps only its SHA-256 (a token is 256
random bits: a slow password hash would add nothing but latency to every worker request). A
revoked token is refused at the worker's next request (`authenticate`). Each request also notes
where the worker is and what it runs (`seen`), for the Workers page.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import NotAuthenticated, NotFound, UsageError
from vidjil_local.services import audit

TOKEN_PREFIX = "vidjil-worker-"
MAX_NAME = 80


@dataclass(frozen=True)
class Worker:
    id: int
    name: str
    created_at: str
    revoked_at: str | None
    host: str | None
    version: str | None
    cores: int | None
    address: str | None
    last_seen_at: str | None
    jobs_done: int
    current_jobs: list[int]


@dataclass(frozen=True)
class NewWorker:
    worker: Worker
    token: str  # shown once


@dataclass(frozen=True)
class Seen:
    """What a worker says of itself with each request."""

    host: str
    version: str
    cores: int
    address: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(database: Database, actor: audit.Actor, name: str) -> NewWorker:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise UsageError(f"a worker's name is 1 to {MAX_NAME} printable characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.write() as db:
        row = {
            "name": name,
            "token_hash": token_hash(token),
            "created_at": now(),
            "created_by": actor.user_id,
        }
        worker_id = int(db.table("workers").insert(row).last_pk or 0)
        audit.record(db, actor, "create_worker", "workers", worker_id, name=name)
    return NewWorker(get(database, worker_id), token)


def revoke(database: Database, actor: audit.Actor, worker_id: int) -> Worker:
    with database.write() as db:
        cursor = db.execute(
            "UPDATE workers SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            [now(), worker_id],
        )
        if cursor.rowcount != 1:
            raise NotFound(f"no worker {worker_id}", worker_id=worker_id)
        audit.record(db, actor, "revoke_worker", "workers", worker_id)
    return get(database, worker_id)


def authenticate(database: Database, token: str) -> int:
    """The id of the worker holding `token`; NotAuthenticated when unknown or revoked."""
    row = (
        database.db()
        .execute(
            "SELECT id, revoked_at FROM workers WHERE token_hash = ?", [token_hash(token.strip())]
        )
        .fetchone()
    )
    if row is None:
        raise NotAuthenticated("this worker token is not known to the server")
    if row[1] is not None:
        raise NotAuthenticated(
            "this worker's token was revoked by an administrator", worker_id=row[0]
        )
    return int(row[0])


def seen(database: Database, worker_id: int, what: Seen) -> None:
    with database.write() as db:
        db.execute(
            "UPDATE workers SET host = ?, version = ?, cores = ?, address = ?, last_seen_at = ? "
            "WHERE id = ?",
            [what.host[:200], what.version[:40], what.cores, what.address, now(), worker_id],
        )


def count_done(db: sqlite_utils.Database, worker_id: int) -> None:
    """Inside the caller's transaction: one more job this worker completed."""
    db.execute("UPDATE workers SET jobs_done = jobs_done + 1 WHERE id = ?", [worker_id])


def get(database: Database, worker_id: int) -> Worker:
    rows = list(database.db().query("SELECT * FROM workers WHERE id = ?", [worker_id]))
    if not rows:
        raise NotFound(f"no worker {worker_id}", worker_id=worker_id)
    return _worker(database, rows[0])


def list_workers(database: Database) -> list[Worker]:
    rows = database.db().query("SELECT * FROM workers ORDER BY revoked_at IS NOT NULL, id")
    return [_worker(database, row) for row in rows]


def _worker(database: Database, row: dict[str, Any]) -> Worker:
    current = database.db().execute(
        "SELECT id FROM jobs WHERE worker_id = ? AND status = 'running' ORDER BY id", [row["id"]]
    )
    return Worker(
        id=row["id"],
        name=row["name"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        host=row["host"],
        version=row["version"],
        cores=row["cores"],
        address=row["address"],
        last_seen_at=row["last_seen_at"],
        jobs_done=row["jobs_done"],
        current_jobs=[int(job[0]) for job in current.fetchall()],
    )


def install_id(database: Database) -> str:
    """This installation's id (made once): it names its job queues in a shared Redis."""
    row = database.db().execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()
    if row is not None:
        return str(row[0])
    with database.write() as db:
        db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('install_id', ?)", [uuid.uuid4().hex]
        )
        row = db.execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()
    return str(row[0])
