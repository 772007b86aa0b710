"""Result files: clone lists from `.vidjil` files, and the records of results, fused results and
`.analysis` versions with their rights and audit (the fuse is in `fuse.py`, the `.analysis`
checks in `analysis_files.py`).

Clone lists are served from parsed files kept in memory per (path,
modification time, size), so paging through a list never parses the same file twice.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidjil_local.db import Database
from vidjil_local.errors import InputFormatError, NotFound, UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.analysis_files import check_analysis, empty_analysis
from vidjil_local.services.authz import Principal
from vidjil_local.services.clock import now

SORT_KEYS = ("reads", "top", "name", "locus", "junction_aa", "id")


# -- clone lists ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CloneRow:
    """One clone of a result file, flattened for listing (reads: one count per sample)."""

    id: str
    name: str
    locus: str
    reads: list[int]
    top: int
    sequence: str
    junction_aa: str
    cdr3_aa: str
    productive: bool | None
    v_call: str
    d_call: str
    j_call: str
    warnings: list[str]


@dataclass(frozen=True)
class ParsedResult:
    document: dict[str, Any]
    clones: tuple[CloneRow, ...]
    haystacks: tuple[str, ...]  # upper-cased text searched by `search`, one per clone
    _orders: dict[tuple[str, int], list[int]] = field(default_factory=dict, compare=False)

    @property
    def sample_count(self) -> int:
        return int(self.document["samples"]["number"])

    def order(self, sort: str, sample: int) -> list[int]:
        """Clone indexes in `sort` order, computed once per file, sort and sample (a race only
        computes the same list twice)."""
        found = self._orders.get((sort, sample))
        if found is None:
            query = CloneQuery(sort=sort, sample=sample)
            found = sorted(
                range(len(self.clones)),
                key=lambda index: _sort_key(query, self.clones[index]),
                reverse=sort.startswith("-"),
            )
            self._orders[(sort, sample)] = found
        return found


@dataclass(frozen=True)
class CloneQuery:
    limit: int = 50
    offset: int = 0
    sort: str = "-reads"
    locus: str | None = None
    productive: bool | None = None
    search: str | None = None
    sample: int = 0  # which sample's reads `reads` sorts on


@dataclass(frozen=True)
class ClonePage:
    total: int  # clones matching the filters
    offset: int
    limit: int
    samples: list[str]
    segmented: list[int]
    clones: list[CloneRow] = field(default_factory=list)


def _segment_name(seg: dict[str, Any], key: str) -> str:
    segment = seg.get(key)
    if isinstance(segment, dict):
        return str(segment.get("name", ""))
    return segment if isinstance(segment, str) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def clone_row(clone: dict[str, Any]) -> CloneRow:
    seg = _object(clone.get("seg"))
    junction = _object(seg.get("junction"))
    cdr3 = _object(seg.get("cdr3"))
    productive = junction.get("productive")
    sequence = clone.get("sequence")
    return CloneRow(
        id=str(clone["id"]),
        name=str(clone.get("name") or ""),
        locus=str(clone.get("germline", "")),
        reads=[int(count) for count in clone["reads"]],
        top=int(clone.get("top", 0)),
        sequence=sequence if isinstance(sequence, str) else "",
        junction_aa=str(junction.get("aa", "")),
        cdr3_aa=str(cdr3.get("aa", "")),
        productive=bool(productive) if productive is not None else None,
        v_call=_segment_name(seg, "5"),
        d_call=_segment_name(seg, "4"),
        j_call=_segment_name(seg, "3"),
        warnings=[str(w.get("code", "")) for w in clone.get("warn") or [] if isinstance(w, dict)],
    )


def parse_result(document: dict[str, Any], where: str = "") -> ParsedResult:
    try:
        rows = tuple(clone_row(clone) for clone in document.get("clones") or [])
        int(document["samples"]["number"])
    except (KeyError, TypeError, ValueError) as error:
        raise InputFormatError(f"not a usable .vidjil document ({error})", where) from None
    haystacks = tuple(
        "\n".join((row.id, row.name, row.junction_aa, row.cdr3_aa, row.sequence)).upper()
        for row in rows
    )
    return ParsedResult(document, rows, haystacks)


def _sort_key(query: CloneQuery, clone: CloneRow) -> Any:
    name = query.sort.lstrip("-")
    if name == "reads":
        return clone.reads[query.sample] if query.sample < len(clone.reads) else 0
    return getattr(clone, name)


def _matches(parsed: ParsedResult, index: int, query: CloneQuery, needle: str) -> bool:
    clone = parsed.clones[index]
    return (
        (query.locus is None or clone.locus == query.locus)
        and (query.productive is None or clone.productive is query.productive)
        and (not needle or needle in parsed.haystacks[index])
    )


def list_clones(parsed: ParsedResult, query: CloneQuery) -> ClonePage:
    """Filter, sort and page the clones of one parsed result."""
    if query.sort.lstrip("-") not in SORT_KEYS:
        raise UsageError(f"sort must be one of {', '.join(SORT_KEYS)} (with - for descending)")
    if not 0 <= query.sample < max(parsed.sample_count, 1):
        raise UsageError(f"no sample {query.sample} in this result")
    order = parsed.order(query.sort, query.sample)
    needle = (query.search or "").strip().upper()
    if query.locus is not None or query.productive is not None or needle:
        order = [index for index in order if _matches(parsed, index, query, needle)]
    window = order[query.offset : query.offset + query.limit]
    samples = parsed.document["samples"]
    reads = parsed.document.get("reads") or {}
    return ClonePage(
        total=len(order),
        offset=query.offset,
        limit=query.limit,
        samples=[str(name) for name in samples.get("names") or samples["original_names"]],
        segmented=[int(count) for count in reads.get("segmented") or []],
        clones=[parsed.clones[index] for index in window],
    )


class ResultFileCache:
    """Parsed `.vidjil` files, most recently used kept, keyed on path and (mtime, size).

    Shared by the request threads of the app process: parsing happens outside the lock, so two
    threads may parse the same new file once each, which is harmless.
    """

    def __init__(self, capacity: int = 16) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[tuple[int, int], ParsedResult]] = OrderedDict()
        self._lock = threading.Lock()
        self.parses = 0

    def get(self, path: Path) -> ParsedResult:
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise NotFound(f"the result file {path.name} is missing", path=str(path)) from None
        key, version = str(path), (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                return entry[1]
        parsed = parse_result(load_document(path), str(path))
        with self._lock:
            self.parses += 1
            self._entries[key] = (version, parsed)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return parsed


def load_document(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise InputFormatError(f"cannot read the result ({error})", str(path)) from None
    if not isinstance(document, dict):
        raise InputFormatError("not a .vidjil JSON object", str(path))
    return document


# -- records: results, fused results and .analysis versions, with rights and audit ---------------
VIEW_AUDIT_SECONDS = 60.0  # a clone list paged through is one "viewed" entry per minute


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
        return results_dir / self.folder / name


class ViewThrottle:
    """When each user last viewed each result ("results/ID", "sets/ID"): a view is audited once
    a minute."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, int | None, str], float] = {}
        self._lock = threading.Lock()

    def first_in_a_while(self, database: str, user_id: int | None, record: str) -> bool:
        moment = time.monotonic()
        with self._lock:
            last = self._last.get((database, user_id, record))
            if last is not None and moment - last < VIEW_AUDIT_SECONDS:
                return False
            self._last[(database, user_id, record)] = moment
            return True


# One per process, shared by every request thread; keyed by absolute path, so two apps on two
# data dirs (tests) never see each other's entries.
RESULT_FILES = ResultFileCache()
VIEWS = ViewThrottle()


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
        rows = list(self.database.db().query("SELECT * FROM results WHERE id = ?", [result_id]))
        readable = rows and any(
            authz.can(self.database, principal, "read", set_id)
            for set_id in sets_of_sample(self.database, int(rows[0]["sample_id"]))
        )
        if not readable:
            raise NotFound(f"no result {result_id}", result_id=result_id)
        return ResultRecord.from_row(rows[0])

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

    def clones(
        self, principal: Principal, actor: audit.Actor, result_id: int, query: CloneQuery
    ) -> ClonePage:
        record = self.result(principal, result_id)
        page = list_clones(self.files.get(record.file(self.results_dir, "vidjil")), query)
        self._audit_view(actor, result_id)
        return page

    def summary(self, principal: Principal, actor: audit.Actor, result_id: int) -> ResultRecord:
        """The result's record and read counts (a view of the patient's result: audited)."""
        record = self.result(principal, result_id)
        self._audit_view(actor, result_id)
        return record

    def _audit_view(self, actor: audit.Actor, result_id: int) -> None:
        if VIEWS.first_in_a_while(str(self.database.path), actor.user_id, f"results/{result_id}"):
            audit.record_now(
                self.database, actor, "view_result", table_name="results", record_id=result_id
            )

    def result_list(
        self, principal: Principal, set_id: int, config_id: int | None
    ) -> list[dict[str, Any]]:
        """Every result of the set's samples (history included), newest first."""
        authz.require(self.database, principal, "read", set_id)
        where, args = ("AND r.config_id = ?", [config_id]) if config_id is not None else ("", [])
        rows = self.database.db().query(
            "SELECT r.*, s.original_name AS sample_name FROM results r "
            "JOIN set_samples ss ON ss.sample_id = r.sample_id AND ss.sample_set_id = ? "
            f"JOIN samples s ON s.id = r.sample_id {where} ORDER BY r.id DESC",
            [set_id, *args],
        )
        return [{**row, "summary": json.loads(row["summary"])} for row in rows]

    def fused(self, principal: Principal, actor: audit.Actor, set_id: int, config_id: int) -> Path:
        path = self._fused_path(principal, set_id, config_id)
        audit.record_now(
            self.database, actor, "view_result", table_name="sample_sets", record_id=set_id,
            config_id=config_id,
        )  # fmt: skip
        return path

    def fused_clones(
        self,
        principal: Principal,
        actor: audit.Actor,
        set_id: int,
        config_id: int,
        query: CloneQuery,
    ) -> ClonePage:
        """A page of the set's time-course clones, sorted on the reads of `query.sample`."""
        path = self._fused_path(principal, set_id, config_id)
        page = list_clones(self.files.get(path), query)
        if VIEWS.first_in_a_while(str(self.database.path), actor.user_id, f"sets/{set_id}"):
            audit.record_now(
                self.database, actor, "view_result", table_name="sample_sets", record_id=set_id,
                config_id=config_id,
            )  # fmt: skip
        return page

    def _fused_path(self, principal: Principal, set_id: int, config_id: int) -> Path:
        authz.require(self.database, principal, "read", set_id)
        row = (
            self.database.db()
            .execute(
                "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
                [set_id, config_id],
            )
            .fetchone()
        )
        if row is None:
            raise NotFound(
                f"no fused result of sample set {set_id} for config {config_id} yet",
                sample_set_id=set_id,
                config_id=config_id,
            )
        return self.results_dir / str(row[0])

    def save_analysis(
        self, principal: Principal, actor: audit.Actor, set_id: int, content: dict[str, Any]
    ) -> AnalysisVersion:
        authz.require(self.database, principal, "save", set_id)
        text = json.dumps(check_analysis(content))
        with self.database.write() as db:
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

    def analysis(
        self, principal: Principal, actor: audit.Actor, set_id: int, version: int | None
    ) -> tuple[dict[str, Any], AnalysisVersion | None]:
        """The latest saved `.analysis` of the set (or `version`); an empty one before any save."""
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
        audit.record_now(
            self.database,
            actor,
            "view_analysis",
            table_name="sample_sets",
            record_id=set_id,
            version=row[0] if row else None,
        )
        if row is None:
            return empty_analysis(), None
        return json.loads(row[1]), self.versions(principal, set_id, int(row[0]))[0]

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


def sets_of_sample(database: Database, sample_id: int) -> list[int]:
    rows = database.db().execute(
        "SELECT sample_set_id FROM set_samples WHERE sample_id = ? ORDER BY sample_set_id",
        [sample_id],
    )
    return [int(row[0]) for row in rows.fetchall()]
