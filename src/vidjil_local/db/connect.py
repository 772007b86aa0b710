"""Open the SQLite database the way every part of the app must: WAL, foreign keys, busy timeout.

Writes go through `write_transaction`, which starts with `BEGIN IMMEDIATE`: a deferred `BEGIN` that
later tries to write fails with "database is locked" under concurrent writers whatever the timeout,
because a read snapshot cannot be upgraded (measured in stack-notes.md section 7).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

log = logging.getLogger(__name__)
BUSY_TIMEOUT_SECONDS = 30.0
MEMO_CAPACITY = 4096  # values remembered per thread before the memo starts again
T = TypeVar("T")


def connect(path: Path | str) -> sqlite_utils.Database:
    """A new connection with the project's pragmas. The caller owns it (and closes it)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False, isolation_level=None
    )
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    return sqlite_utils.Database(connection)


# connection -> what to do once its open write transaction commits (`after_commit`)
_after_commit: dict[int, list[Callable[[], None]]] = {}


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """`BEGIN IMMEDIATE` ... `COMMIT`, or `ROLLBACK` when the block raises; then the actions
    given to `after_commit` in the block, only after a commit."""
    connection = db.conn
    connection.execute("BEGIN IMMEDIATE")
    actions = _after_commit.setdefault(id(connection), [])
    try:
        yield db
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    else:
        connection.execute("COMMIT")
    finally:
        _after_commit.pop(id(connection), None)
    for action in actions:
        try:
            action()
        except Exception:  # committed: the write happened, whatever its follow-up does
            log.exception("an action after a commit failed")


def after_commit(db: sqlite_utils.Database, action: Callable[[], None]) -> None:
    """Run `action` once the caller's write transaction on `db` commits, never after a
    rollback (e.g. removing a file the rows removed in it named: a crash before the commit must
    find both still there). Outside a write transaction, at once: the write is committed."""
    pending = _after_commit.get(id(db.conn))
    if pending is None:
        action()
    else:
        pending.append(action)


class Database:
    """The database of one data dir: one connection per thread, opened on first use.

    Litestar runs sync handlers in a thread pool and the job system has its own threads; a
    connection per thread keeps each transaction on the thread that began it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()

    def db(self) -> sqlite_utils.Database:
        existing: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if existing is None:
            existing = connect(self.path)
            self._local.db = existing
            with self._lock:
                self._connections.append(existing)
        return existing

    def remember(self, key: Hashable, load: Callable[[], T]) -> T:
        """`load()`'s value, read once and kept on this thread until anything is committed to the
        database, by this connection, another one or another process (SQLite's `data_version`
        and the connection's change count tell): a value read back is never older than the last
        commit. Inside a transaction, which may roll back, nothing is kept."""
        connection = self.db().conn
        if connection.in_transaction:
            return load()
        version = (self._data_version(connection), connection.total_changes)
        memo: tuple[Any, dict[Hashable, Any]] | None = getattr(self._local, "memo", None)
        if memo is None or memo[0] != version or len(memo[1]) >= MEMO_CAPACITY:
            memo = (version, {})
            self._local.memo = memo
        if key in memo[1]:
            value: T = memo[1][key]
            return value
        value = load()
        memo[1][key] = value
        return value

    def requests_reads(self, starting: bool) -> None:
        """A request starts (`starting`) or ends on this thread (the event loop's). While one
        runs, the memoised reads of this thread ask SQLite's `data_version` once, at the first
        of them, rather than once each (three times a clone list); a commit made before the
        request started is still seen, and so is any of this connection's own. Threads that do
        not call this (the request and job threads) ask at each read."""
        self._local.in_request = starting
        self._local.request_data_version = None

    def _data_version(self, connection: sqlite3.Connection) -> int:
        known: int | None = getattr(self._local, "request_data_version", None)
        if known is not None:
            return known
        version: int = connection.execute("PRAGMA data_version").fetchone()[0]
        if getattr(self._local, "in_request", False):
            self._local.request_data_version = version
        return version

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        with write_transaction(self.db()) as db:
            yield db

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.conn.close()
            self._connections.clear()
        self._local = threading.local()
