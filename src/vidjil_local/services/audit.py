"""The audit trail: who did what to which record, when, from where (admins read and export it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (or nobody, for a failed login) and the client address."""

    user_id: int | None
    email: str
    client_address: str = ""


def record(
    db: sqlite_utils.Database,
    actor: Actor,
    action: str,
    table_name: str = "",
    record_id: int | None = None,
    **details: Any,
) -> None:
    """Write one audit row inside the caller's transaction (so the fact and its trace commit
    together)."""
    db.table("audit_log").insert(
        {
            "at": now(),
            "user_id": actor.user_id,
            "user_email": actor.email,
            "action": action,
            "table_name": table_name,
            "record_id": record_id,
            "details": json.dumps(details, default=str),
            "client_address": actor.client_address,
        }
    )


def record_now(database: Database, actor: Actor, action: str, **kwargs: Any) -> None:
    with database.write() as db:
        record(db, actor, action, **kwargs)


def entries(
    database: Database,
    table_name: str | None = None,
    record_id: int | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    clauses: list[str] = []
    args: list[object] = []
    if table_name:
        clauses.append("table_name = ?")
        args.append(table_name)
    if record_id is not None:
        clauses.append("record_id = ?")
        args.append(record_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = database.db().query(
        f"SELECT * FROM audit_log {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    return [{**row, "details": json.loads(row["details"])} for row in rows]
