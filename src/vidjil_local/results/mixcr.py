"""A MiXCR clone table (`mixcr exportClones`, 3.x and 4.x column names) as a one-sample result,
read as Vidjil's fuse reads it: one row per clone, its reads in `cloneCount` (MiXCR 3) or
`readCount` (MiXCR 4), its genes in the best (first) hit of `allVHitsWithScore` or `bestVHit`.
MiXCR's CDR3 (`nSeqCDR3`, `aaSeqCDR3`) runs from the conserved Cys to the Phe/Trp included: the
AIRR junction, which identifies the clone across samples as in our other imports."""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections.abc import Sequence
from pathlib import Path

from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    Designation,
    SampleResult,
    SegmentMatch,
)
from vidjil_local.errors import InputFormatError

COUNT_COLUMNS = ("readCount", "cloneCount")  # MiXCR 4, MiXCR 3
HIT_COLUMNS = {"v": ("allVHitsWithScore", "bestVHit"), "d": ("allDHitsWithScore", "bestDHit"),
               "j": ("allJHitsWithScore", "bestJHit")}  # fmt: skip
LOCI = ("IGH", "IGK", "IGL", "TRA", "TRB", "TRG", "TRD")
SCORE = re.compile(r"\([^)]*\)$")


def is_mixcr_header(columns: Sequence[str]) -> bool:
    return "cloneId" in columns and any(column in columns for column in COUNT_COLUMNS)


def read_mixcr(path: str | os.PathLike[str], gzipped: bool = False) -> AnalysisResult:
    path = Path(path)
    opener = gzip.open if gzipped else open
    clones: dict[str, CloneResult] = {}
    line = 1
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            count_column = _count_column(reader.fieldnames or [], str(path))
            for line, row in enumerate(reader, start=2):
                _add_clone(clones, row, count_column, str(path), line)
    except UnicodeDecodeError:
        raise InputFormatError("not UTF-8 text", str(path), line + 1) from None
    except csv.Error as error:
        raise InputFormatError(f"not a TSV table ({error})", str(path), line + 1) from None
    ranked = sorted(clones.values(), key=lambda clone: -clone.reads[0])
    loci: dict[str, int] = {}
    for rank, clone in enumerate(ranked, start=1):
        clone.top = rank
        loci[clone.locus] = loci.get(clone.locus, 0) + clone.reads[0]
    reads = sum(loci.values())
    sample = SampleResult(path.name, reads, reads, loci, producer="MiXCR import")
    return AnalysisResult([sample], ranked, "MiXCR import")


def _count_column(columns: Sequence[str], where: str) -> str:
    for column in COUNT_COLUMNS:
        if column in columns:
            return column
    raise InputFormatError("not a MiXCR clone table (no readCount or cloneCount column)", where, 1)


def _add_clone(
    clones: dict[str, CloneResult], row: dict[str, str | None], count_column: str, where: str,
    line: int,
) -> None:  # fmt: skip
    count = _count(row.get(count_column) or "", count_column, where, line)
    junction = (row.get("nSeqCDR3") or "").upper()
    clone_id = junction or f"mixcr-{row.get('cloneId') or line}"
    if clone_id in clones:  # MiXCR may split one junction by genes or constant region
        clones[clone_id].reads[0] += count
        return
    genes = {segment: _best_hit(row, columns) for segment, columns in HIT_COLUMNS.items()}
    locus = _locus(row, genes)
    sequence = _sequence(row.get("targetSequences") or "", junction) or junction or clone_id
    start = sequence.find(junction) if junction else -1
    junction_aa = row.get("aaSeqCDR3") or ""
    clones[clone_id] = CloneResult(
        clone_id=clone_id,
        locus=locus,
        reads=[count],
        sequence=sequence,
        top=0,
        window_start=start,
        designation=Designation(
            locus=locus,
            v=SegmentMatch(genes["v"], -1, -1) if genes["v"] else None,
            d=SegmentMatch(genes["d"], -1, -1) if genes["d"] else None,
            j=SegmentMatch(genes["j"], -1, -1) if genes["j"] else None,
            junction_start=start,
            junction_end=start + len(junction) if start >= 0 else -1,
            junction=junction if start >= 0 else "",
            junction_aa=junction_aa,
            productive=_productive(junction, junction_aa),
        ),
    )


def _count(text: str, column: str, where: str, line: int) -> int:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value != value // 1 or value > 1e15:
        raise InputFormatError(
            f"{column} {text[:40]!r} is not a count of reads", where, line, field=column
        )
    return int(value)


def _best_hit(row: dict[str, str | None], columns: tuple[str, ...]) -> str:
    for column in columns:
        hits = (row.get(column) or "").strip()
        if hits:
            return SCORE.sub("", hits.split(",")[0].strip()).strip()
    return ""


def _locus(row: dict[str, str | None], genes: dict[str, str]) -> str:
    chains = (row.get("chains") or "").split(",")[0].strip()
    if chains in LOCI:
        return chains
    for gene in (genes["v"], genes["j"], genes["d"]):
        if gene[:3] in LOCI:
            return gene[:3]
    return "unknown"


def _sequence(targets: str, junction: str) -> str:
    """The target holding the junction (paired reads give one target per mate), else the
    longest one."""
    found = [target.strip().upper() for target in targets.split(",") if target.strip()]
    holding = [target for target in found if junction and junction in target]
    return max(holding or found, key=len, default="")


def _productive(junction: str, junction_aa: str) -> bool | None:
    if not junction:
        return None
    # MiXCR writes '_' for an incomplete codon (out of frame) and '*' for a stop codon
    return len(junction) % 3 == 0 and "*" not in junction_aa and "_" not in junction_aa
