"""Reading the audit trail: filtered pages for the admin log page, a CSV export, and the trail of
one sample set (the set itself and what was done to its samples).

The CSV is produced page by page (keyset paging on the id), so an export of a long trail never
holds it in memory and each page's query runs whole on whichever thread asks for it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from vidjil_local.db import Database
from vidjil_local.errors import UsageError
from vidjil_local.services.spreadsheet import spreadsheet_text

MAX_LIMIT = 1000
EXPORT_PAGE = 500
COLUMNS = (
    "id", "at", "user_id", "user_email", "action", "table_name", "record_id", "details",
    "client_address",
)  # fmt: skip


class AuditEntry(msgspec.Struct):
    id: int
    at: str
    user_id: int | None
    user_email: str
    action: str
    table_name: str
    record_id: int | None
    details: dict[str, Any]
    client_address: str


class AuditPage(msgspec.Struct):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class AuditFilter:
    table: str | None = None
    record_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: str | None = None  # ISO 8601 date or time; a time without zone is UTC
    sample_set_id: int | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        for column, value in (
            ("table_name", self.table),
            ("record_id", self.record_id),
            ("user_id", self.user_id),
            ("action", self.action),
        ):
            if value is not None and value != "":
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.since:
            clauses.append("at >= ?")
            args.append(normalise_since(self.since))
        if self.sample_set_id is not None:
            # the set's own rows, and rows about its samples (they carry the set id)
            clauses.append(
                "((table_name = 'sample_sets' AND record_id = ?) "
                "OR json_extract(details, '$.sample_set_id') = ?)"
            )
            args.extend([self.sample_set_id, self.sample_set_id])
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), args


def normalise_since(text: str) -> str:
    """The stored form of a moment (UTC, milliseconds), so text comparison orders by time."""
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="milliseconds")
    except (ValueError, OverflowError):  # OverflowError: a zone pushing it past year 1 or 9999
        raise UsageError(
            f"since must be a date or time as YYYY-MM-DD[THH:MM[:SS]] between the years 1 and "
            f"9999, got {text[:40]!r}"
        ) from None


def search(database: Database, where: AuditFilter, limit: int, offset: int) -> AuditPage:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, offset 0 or more")
    sql, args = where.where()
    db = database.db()
    total = int(db.execute(f"SELECT count(*) FROM audit_log {sql}", args).fetchone()[0])
    rows = db.query(
        f"SELECT * FROM audit_log {sql} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    return AuditPage([_entry(row) for row in rows], total, limit, offset)


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**{**row, "details": json.loads(row["details"] or "{}")})


def check(where: AuditFilter) -> None:
    """Raise now what a filter would raise later (before an export starts streaming)."""
    where.where()


def export_csv(database: Database, where: AuditFilter) -> Iterator[bytes]:
    """The matching rows, newest first, as CSV with a header row, one page per chunk."""
    sql, args = where.where()
    keyset = "AND id < ?" if sql else "WHERE id < ?"
    yield _csv_lines([COLUMNS])
    last_id = 1 << 62
    while True:
        rows = (
            database.db()
            .execute(
                f"SELECT {', '.join(COLUMNS)} FROM audit_log {sql} {keyset} "
                "ORDER BY id DESC LIMIT ?",
                [*args, last_id, EXPORT_PAGE],
            )
            .fetchall()
        )
        if not rows:
            return
        yield _csv_lines(rows)
        last_id = int(rows[-1][0])


def _csv_lines(rows: list[Any]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    """No formula injection when the export is opened in a spreadsheet (e-mails typed at the
    login form land here)."""
    if value is None:
        return ""
    return spreadsheet_text(value) if isinstance(value, str) else value
