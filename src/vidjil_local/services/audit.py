"""The audit trail: who did what to which record, when, from where (admins read and export it)."""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now

VIEW_AUDIT_SECONDS = 60.0  # a read of patient data repeated within a minute is one entry
VIEWS_KEPT = 10_000


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


class ViewThrottle:
    """When each user last viewed each record: a view is audited once a minute."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, int | None, Hashable], float] = {}
        self._lock = threading.Lock()

    def first_in_a_while(self, database: str, user_id: int | None, record: Hashable) -> bool:
        moment = time.monotonic()
        with self._lock:
            last = self._last.get((database, user_id, record))
            if last is not None and moment - last < VIEW_AUDIT_SECONDS:
                return False
            if len(self._last) >= VIEWS_KEPT:  # forget the views older than a minute
                self._last = {
                    key: at for key, at in self._last.items() if moment - at < VIEW_AUDIT_SECONDS
                }
            self._last[(database, user_id, record)] = moment
            return True


VIEWS = ViewThrottle()  # one per process; keyed by database path (two apps in tests stay apart)


def view_to_record(
    database: Database,
    actor: Actor,
    action: str,
    *,
    table_name: str,
    record_id: int,
    **details: Any,
) -> Callable[[], None] | None:
    """The write recording a read of patient data, or None when the same user's same read was
    recorded less than a minute ago (paging through a clone list, or opening a result page again,
    is one entry a minute). Handlers running in the event loop do the write in a thread."""
    key = (action, table_name, record_id, tuple(sorted(details.items())))
    if not VIEWS.first_in_a_while(str(database.path), actor.user_id, key):
        return None
    return functools.partial(
        record_now, database, actor, action, table_name=table_name, record_id=record_id, **details
    )


def record_view(
    database: Database,
    actor: Actor,
    action: str,
    *,
    table_name: str,
    record_id: int,
    **details: Any,
) -> None:
    """`view_to_record`, written at once when due."""
    write = view_to_record(
        database, actor, action, table_name=table_name, record_id=record_id, **details
    )
    if write is not None:
        write()


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
