"""Clone lists from `.vidjil` files: flattened rows, filtered, sorted and paged.

Parsed files are kept in memory per (path, modification time, size), so paging through a list
never parses the same file twice; the JSON of the pages asked for is kept with them, so the same
page asked again is not encoded again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from vidjil_local.errors import InputFormatError, NotFound, UsageError
from vidjil_local.results import load_document

SORT_KEYS = ("reads", "top", "name", "locus", "junction_aa", "id")
PAGES_KEPT = 256  # encoded pages kept per parsed file


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
    _pages: dict[CloneQuery, bytes] = field(default_factory=dict, compare=False)

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

    def page_json(self, query: CloneQuery) -> bytes:
        """`list_clones` as JSON, encoded once per query (a race only encodes it twice)."""
        found = self._pages.get(query)
        if found is None:
            found = msgspec.json.encode(list_clones(self, query))
            if len(self._pages) >= PAGES_KEPT:
                self._pages.clear()
            self._pages[query] = found
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

    def cached(self, path: Path) -> ParsedResult | None:
        """The parsed file when it is in memory and unchanged, else None (`get` parses it)."""
        key, version = str(path), file_version(path)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                return entry[1]
        return None

    def get(self, path: Path) -> ParsedResult:
        found = self.cached(path)
        if found is not None:
            return found
        key, version = str(path), file_version(path)
        try:
            document = load_document(path)
        except InputFormatError:
            file_version(path)  # removed since (a new fuse): NotFound, not a bad file
            raise
        parsed = parse_result(document, str(path))
        with self._lock:
            self.parses += 1
            self._entries[key] = (version, parsed)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return parsed


def file_version(path: Path) -> tuple[int, int]:
    """(modification time in ns, size): what tells a result file changed."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise NotFound(f"the result file {path.name} is missing", file=path.name) from None
    return stat.st_mtime_ns, stat.st_size
