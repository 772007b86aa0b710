"""Reads of results with their rights and audit: result records, their files and clone lists,
the fused result of a set, and the saved `.analysis` versions of a set.

The `async` reads serve the results page from the event loop: rights and records come from
memoised reads (`Database.remember`), clone lists from parsed files kept in memory, and only what
may take long (parsing a new file, an audit write) goes to a worker thread."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import sqlite_utils
from anyio import to_thread

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, NotFound
from vidjil_local.results.analysis_file import check_analysis, empty_analysis
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.clone_lists import (
    CloneQuery,
    ParsedResult,
    ResultFileCache,
)
from vidjil_local.services.results.file_bytes import FileBytes, StoredFile


@dataclass(frozen=True)
class ResultRecord:
    id: int
    sample_id: int
    config_id: int
    job_id: int | None
    created_at: str
    folder: str  # relative to results_dir
    summary: dict[str, Any]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ResultRecord:
        return cls(**{**row, "summary": json.loads(row["summary"])})

    def file(self, results_dir: Path, kind: str) -> Path:
        """The result's `vidjil` or `airr` file."""
        name = self.summary.get(kind)
        if not isinstance(name, str) or not name:
            raise NotFound(f"result {self.id} has no {kind} file", result_id=self.id)
        return _result_file(results_dir, self.folder, name)


@functools.lru_cache(maxsize=1024)  # a clone list asks it at each page
def _result_file(results_dir: Path, folder: str, name: str) -> Path:
    return results_dir / folder / name


# One per process, shared by every request thread; keyed by absolute path, so two apps on two
# data dirs (tests) never see each other's entries.
RESULT_FILES = ResultFileCache()
FUSED_FILES = FileBytes()
T = TypeVar("T")


@dataclass(frozen=True)
class AnalysisVersion:
    version: int
    sample_set_id: int
    saved_by: int | None
    saved_at: str


class ResultAccess:
    """Reads of results for one app: rights checked, patient data reads audited."""

    def __init__(self, database: Database, results_dir: Path) -> None:
        self.database = database
        self.results_dir = results_dir
        self.files = RESULT_FILES

    def result(self, principal: Principal, result_id: int) -> ResultRecord:
        """The result, when the principal may read a set holding its sample."""
        found = self.database.remember(("result", result_id), lambda: self._read(result_id))
        if found is None or not any(
            authz.can(self.database, principal, "read", set_id) for set_id in found[1]
        ):
            raise NotFound(f"no result {result_id}", result_id=result_id)
        return found[0]

    def _read(self, result_id: int) -> tuple[ResultRecord, list[int]] | None:
        """The result and the sets holding its sample."""
        rows = list(self.database.db().query("SELECT * FROM results WHERE id = ?", [result_id]))
        if not rows:
            return None
        sets = authz.sets_of_sample(self.database.db(), int(rows[0]["sample_id"]))
        return ResultRecord.from_row(rows[0]), sets

    def download(self, principal: Principal, actor: audit.Actor, result_id: int, kind: str) -> Path:
        record = self.result(principal, result_id)
        path = record.file(self.results_dir, kind)
        audit.record_now(
            self.database,
            actor,
            "download_result",
            table_name="results",
            record_id=result_id,
            file=kind,
        )
        return path

    async def clones_json(
        self, principal: Principal, actor: audit.Actor, result_id: int, query: CloneQuery
    ) -> bytes:
        """A page of the result's clones, as JSON (`ClonePage`)."""
        record = self.result(principal, result_id)
        parsed = await self._parsed(record.file(self.results_dir, "vidjil"))
        page = parsed.page_json(query)
        await self._viewed(actor, "results", result_id)
        return page

    async def summary(
        self, principal: Principal, actor: audit.Actor, result_id: int
    ) -> ResultRecord:
        """The result's record and read counts (a view of the patient's result: audited)."""
        record = self.result(principal, result_id)
        await self._viewed(actor, "results", result_id)
        return record

    async def _parsed(self, path: Path) -> ParsedResult:
        """The parsed file from memory, or parsed in a worker thread (it may be large)."""
        parsed = self.files.cached(path)
        if parsed is None:
            parsed = await to_thread.run_sync(self.files.get, path)
        return parsed

    async def _viewed(
        self, actor: audit.Actor, table_name: str, record_id: int, **details: Any
    ) -> None:
        write = audit.view_to_record(
            self.database, actor, "view_result", table_name=table_name, record_id=record_id,
            **details,
        )  # fmt: skip
        if write is not None:
            await to_thread.run_sync(write)

    def result_list(
        self, principal: Principal, set_id: int, config_id: int | None
    ) -> list[dict[str, Any]]:
        """Every result of the set's samples (history included), newest first."""
        authz.require(self.database, principal, "read", set_id)
        where, args = ("AND r.config_id = ?", [config_id]) if config_id is not None else ("", [])
        rows = self.database.db().query(
            "SELECT r.*, s.original_name AS sample_name, c.name AS config_name FROM results r "
            "JOIN set_samples ss ON ss.sample_id = r.sample_id AND ss.sample_set_id = ? "
            "JOIN configs c ON c.id = r.config_id "
            f"JOIN samples s ON s.id = r.sample_id {where} ORDER BY r.id DESC",
            [set_id, *args],
        )
        return [{**row, "summary": json.loads(row["summary"])} for row in rows]

    async def fused(
        self, principal: Principal, actor: audit.Actor, set_id: int, config_id: int
    ) -> StoredFile:
        """The set's fused `.vidjil` for this config, from memory when it is small enough, else
        open (the caller closes `handle`)."""

        async def read(path: Path) -> StoredFile:
            stored = FUSED_FILES.cached(path)
            if stored is None:
                stored = await to_thread.run_sync(FUSED_FILES.get, path)
            return stored

        stored = await self._read_fused(principal, set_id, config_id, read)
        await self._viewed(actor, "sample_sets", set_id, config_id=config_id)
        return stored

    async def fused_clones_json(
        self,
        principal: Principal,
        actor: audit.Actor,
        set_id: int,
        config_id: int,
        query: CloneQuery,
    ) -> bytes:
        """A page of the set's time-course clones, sorted on the reads of `query.sample`, as
        JSON (`ClonePage`)."""
        parsed = await self._read_fused(principal, set_id, config_id, self._parsed)
        page = parsed.page_json(query)
        await self._viewed(actor, "sample_sets", set_id, config_id=config_id)
        return page

    async def _read_fused(
        self,
        principal: Principal,
        set_id: int,
        config_id: int,
        read: Callable[[Path], Awaitable[T]],
    ) -> T:
        """`read` of the set's fused file. A new fuse removes the file it replaces once it is
        recorded, maybe between the lookup and the read: then the new one is read."""
        path = self._fused_path(principal, set_id, config_id)
        try:
            return await read(path)
        except NotFound:
            newer = self._fused_path(principal, set_id, config_id)
            if newer == path:
                raise
            return await read(newer)

    def _fused_path(self, principal: Principal, set_id: int, config_id: int) -> Path:
        authz.require(self.database, principal, "read", set_id)

        def read() -> Path | None:
            row = (
                self.database.db()
                .execute(
                    "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
                    [set_id, config_id],
                )
                .fetchone()
            )
            return None if row is None else self.results_dir / str(row[0])

        path = self.database.remember(("fused_path", set_id, config_id), read)
        if path is None:
            raise NotFound(
                f"no fused result of sample set {set_id} for config {config_id} yet",
                sample_set_id=set_id,
                config_id=config_id,
            )
        return path

    def save_analysis(
        self,
        principal: Principal,
        actor: audit.Actor,
        set_id: int,
        content: dict[str, Any],
        base_version: int | None = None,
    ) -> AnalysisVersion:
        """A new version; given the version the edits started from (0: none saved then), a
        save over a newer version is refused, so that one tab's save never silently replaces
        another's (scripts that give none save as before)."""
        authz.require(self.database, principal, "save", set_id)
        text = json.dumps(check_analysis(content))
        with self.database.write() as db:
            if base_version is not None:
                _refuse_if_saved_since(db, set_id, base_version)
            version = int(
                db.table("analyses")
                .insert(
                    {
                        "sample_set_id": set_id,
                        "saved_by": principal.user_id,
                        "saved_at": now(),
                        "content": text,
                    }
                )
                .last_pk
                or 0
            )
            audit.record(db, actor, "save_analysis", "sample_sets", set_id, version=version)
        return self.versions(principal, set_id, version)[0]

    async def analysis(
        self, principal: Principal, actor: audit.Actor, set_id: int, version: int | None
    ) -> tuple[bytes, AnalysisVersion | None]:
        """The latest saved `.analysis` of the set (or `version`) as JSON, as it was saved; an
        empty one before any save."""
        authz.require(self.database, principal, "read", set_id)
        where, args = ("AND id = ?", [version]) if version is not None else ("", [])
        row = (
            self.database.db()
            .execute(
                f"SELECT id, content FROM analyses WHERE sample_set_id = ? {where} "
                "ORDER BY id DESC LIMIT 1",
                [set_id, *args],
            )
            .fetchone()
        )
        if row is None and version is not None:
            raise NotFound(f"no version {version} of this set's analysis", version=version)
        write = audit.view_to_record(
            self.database, actor, "view_analysis", table_name="sample_sets", record_id=set_id,
            version=row[0] if row else None,
        )  # fmt: skip
        if write is not None:
            await to_thread.run_sync(write)
        if row is None:
            return msgspec.json.encode(empty_analysis()), None
        return str(row[1]).encode(), self.versions(principal, set_id, int(row[0]))[0]

    def versions(
        self, principal: Principal, set_id: int, version: int | None = None
    ) -> list[AnalysisVersion]:
        authz.require(self.database, principal, "read", set_id)
        where, args = ("AND id = ?", [version]) if version is not None else ("", [])
        rows = (
            self.database.db()
            .execute(
                f"SELECT id, sample_set_id, saved_by, saved_at FROM analyses "
                f"WHERE sample_set_id = ? {where} ORDER BY id DESC",
                [set_id, *args],
            )
            .fetchall()
        )
        return [AnalysisVersion(*row) for row in rows]


def _refuse_if_saved_since(db: sqlite_utils.Database, set_id: int, base_version: int) -> None:
    latest = db.execute(
        "SELECT analyses.id, analyses.saved_at, users.email FROM analyses "
        "LEFT JOIN users ON users.id = analyses.saved_by "
        "WHERE sample_set_id = ? ORDER BY analyses.id DESC LIMIT 1",
        [set_id],
    ).fetchone()
    if latest is None or latest[0] == base_version:
        return
    version, saved_at, email = latest
    raise Conflict(
        f"the analysis was saved again since you opened it (version {version}, by "
        f"{email or 'someone'} at {str(saved_at)[:16].replace('T', ' ')}): reload it to see "
        "those changes, or save yours over them",
        current_version=version,
    )
