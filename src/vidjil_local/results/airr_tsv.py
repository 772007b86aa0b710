"""AIRR rearrangement TSV: one row per clone, written and read with the `airr` library.

Rows are built with our 0-based half-open positions and `airr`'s writer (`base=1`) turns every
`*_start` into the 1-based closed coordinates of the AIRR standard; ends are unchanged.
`import airr` pulls pandas (about 0.6 s), so it happens only when a file is written.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    CloneWarning,
    Designation,
    SampleResult,
    SegmentMatch,
)
from vidjil_local.errors import InputFormatError
from vidjil_local.results._atomic import atomic_text_file

# Optional AIRR fields we fill, after the required ones; then our own (not in the standard).
OPTIONAL_FIELDS = [
    "clone_id",
    "locus",
    "vj_in_frame",
    "stop_codon",
    "cdr3",
    "cdr3_aa",
    "np1",
    "np2",
    "np3",
    "np1_length",
    "np2_length",
    "np3_length",
    "d2_call",
    "junction_length",
    "duplicate_count",
    "v_sequence_start",
    "v_sequence_end",
    "v_germline_start",
    "v_germline_end",
    "d_sequence_start",
    "d_sequence_end",
    "d_germline_start",
    "d_germline_end",
    "d2_sequence_start",
    "d2_sequence_end",
    "d2_germline_start",
    "d2_germline_end",
    "j_sequence_start",
    "j_sequence_end",
    "j_germline_start",
    "j_germline_end",
    "cdr3_start",
    "cdr3_end",
]
EXTRA_FIELDS = ["warnings", "top", "name"]


def write_airr(
    result: AnalysisResult, path: str | os.PathLike[str], sample: int | None = None
) -> None:
    """Write the clones of `result` as AIRR TSV, atomically.

    `duplicate_count` is the clone's reads in `sample` (clones absent from it are left out),
    or over all samples when `sample` is None.
    """
    from airr.io import RearrangementWriter

    rows = airr_rows(result, sample)
    with atomic_text_file(path) as handle:
        writer = RearrangementWriter(handle, fields=OPTIONAL_FIELDS + EXTRA_FIELDS, base=1)
        for row in rows:
            writer.write(row)


def airr_rows(result: AnalysisResult, sample: int | None = None) -> list[dict[str, Any]]:
    """The rows, with 0-based half-open positions (`airr`'s writer converts them)."""
    rows = []
    for clone in result.clones:
        count = sum(clone.reads) if sample is None else clone.reads[sample]
        if count > 0 or sample is None:
            rows.append(_row(clone, count))
    return rows


def _row(clone: CloneResult, count: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sequence_id": clone.clone_id,
        "clone_id": clone.clone_id,
        "sequence": clone.sequence,
        "rev_comp": False,  # sequences are strand-corrected by the pipeline
        "locus": clone.locus,
        "duplicate_count": count,
        "sequence_alignment": "",
        "germline_alignment": "",
        "v_cigar": "",
        "d_cigar": "",
        "j_cigar": "",
        "top": clone.top,
        "name": clone.name,
        "warnings": ",".join(w.code for w in clone.all_warnings()),
    }
    row.update(_designation_fields(clone.designation))
    return row


def _designation_fields(designation: Designation | None) -> dict[str, Any]:
    if designation is None:
        return {"v_call": "", "d_call": "", "j_call": "", "junction": "", "junction_aa": ""}
    fields: dict[str, Any] = {
        "v_call": _call(designation.v),
        "d_call": _call(designation.d),
        "j_call": _call(designation.j),
        "junction": designation.junction,
        "junction_aa": designation.junction_aa,
        "productive": designation.productive,
        "vj_in_frame": designation.vj_in_frame,
        "stop_codon": designation.stop_codon,
    }
    if designation.v is not None and designation.j is not None:
        fields["np1"] = designation.insertion_1
        fields["np1_length"] = len(designation.insertion_1)
    if designation.d is not None:
        fields["np2"] = designation.insertion_2
        fields["np2_length"] = len(designation.insertion_2)
    if designation.d2 is not None:
        fields["d2_call"] = _call(designation.d2)
        fields["np3"] = designation.insertion_3
        fields["np3_length"] = len(designation.insertion_3)
    matches = [("v", designation.v), ("d", designation.d), ("d2", designation.d2)]
    for prefix, match in [*matches, ("j", designation.j)]:
        fields.update(_positions(prefix, match))
    if designation.has_junction:
        fields.update(_junction_fields(designation))
    return fields


def _call(match: SegmentMatch | None) -> str:
    """The best allele first, then those with the same score (AIRR: comma-separated)."""
    if match is None:
        return ""
    return ",".join((match.name, *match.equal_alleles))


def _positions(prefix: str, match: SegmentMatch | None) -> dict[str, int]:
    if match is None or match.start < 0:
        return {}
    positions = {f"{prefix}_sequence_start": match.start, f"{prefix}_sequence_end": match.end}
    if match.germline_start >= 0:
        positions[f"{prefix}_germline_start"] = match.germline_start
        positions[f"{prefix}_germline_end"] = match.germline_end
    return positions


def _junction_fields(designation: Designation) -> dict[str, Any]:
    return {
        "cdr3": designation.cdr3,
        "cdr3_aa": designation.cdr3_aa,
        "cdr3_start": designation.cdr3_start,
        "cdr3_end": designation.cdr3_end,
        "junction_length": len(designation.junction),
    }


def read_airr(path: str | os.PathLike[str]) -> AnalysisResult:
    """Read an AIRR rearrangement TSV (ours, vidjil-algo's, IgBLAST's, ...) as one sample.

    Each row is a clone: `sequence_id` is its identity, `duplicate_count` (else
    `consensus_count`, else 1) its reads, the first of comma-separated calls its gene.
    """
    from airr.io import RearrangementReader

    where = str(path)
    try:
        handle = gzip.open(where, "rt") if where.endswith(".gz") else open(where)  # noqa: SIM115
    except OSError as error:
        raise InputFormatError(f"cannot read ({error.strerror})", where) from None
    with handle:
        reader = RearrangementReader(handle, base=1)
        clones = _read_rows(reader, where)
    clones.sort(key=lambda clone: -clone.reads[0])
    for rank, clone in enumerate(clones, start=1):
        clone.top = rank
    return AnalysisResult([_airr_sample(Path(where).name, clones)], clones)


def _read_rows(reader: Any, where: str) -> list[CloneResult]:
    clones = []
    try:
        for row in reader:
            clones.append(_airr_clone(row))
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        line = reader.dict_reader.line_num
        raise InputFormatError(f"not an AIRR rearrangement file ({error})", where, line) from None
    if not clones and not reader.dict_reader.fieldnames:
        raise InputFormatError("empty file, no AIRR header", where)
    return clones


def _airr_clone(row: dict[str, Any]) -> CloneResult:
    sequence = row.get("sequence") or ""
    if not sequence:  # some tools give only the alignment, or only the junction
        sequence = (row.get("sequence_alignment") or row.get("junction") or "").replace(".", "")
    calls = {segment: _first_call(row.get(f"{segment}_call")) for segment in ("v", "d", "j")}
    locus = row.get("locus") or (calls["v"][0] or calls["j"][0])[:3]
    reads = row.get("duplicate_count") or row.get("consensus_count") or 1
    return CloneResult(
        clone_id=str(row.get("sequence_id") or row.get("clone_id") or sequence),
        locus=locus,
        reads=[int(reads)],
        sequence=sequence.upper(),
        top=0,
        designation=_airr_designation(row, locus, sequence.upper(), calls),
        warnings=[CloneWarning(code, "") for code in _codes(row.get("warnings"))],
    )


def _first_call(value: Any) -> tuple[str, tuple[str, ...]]:
    names = [name.strip() for name in str(value or "").split(",") if name.strip()]
    return (names[0], tuple(names[1:])) if names else ("", ())


def _codes(value: Any) -> list[str]:
    return [code.strip() for code in str(value or "").split(",") if code.strip()]


def _airr_designation(
    row: dict[str, Any], locus: str, sequence: str, calls: dict[str, tuple[str, tuple[str, ...]]]
) -> Designation | None:
    if not calls["v"][0] and not calls["j"][0]:
        return None
    junction = str(row.get("junction") or "").upper()
    start = sequence.find(junction) if junction else -1
    return Designation(
        locus=locus,
        v=_airr_match(row, "v", calls["v"]),
        d=_airr_match(row, "d", calls["d"]),
        j=_airr_match(row, "j", calls["j"]),
        insertion_1=str(row.get("np1") or ""),
        insertion_2=str(row.get("np2") or ""),
        junction_start=start,
        junction_end=start + len(junction) if start >= 0 else -1,
        junction=junction if start >= 0 else "",
        junction_aa=str(row.get("junction_aa") or ""),
        vj_in_frame=row.get("vj_in_frame"),
        stop_codon=row.get("stop_codon"),
        productive=row.get("productive"),
    )


def _airr_match(
    row: dict[str, Any], segment: str, call: tuple[str, tuple[str, ...]]
) -> SegmentMatch | None:
    if not call[0]:
        return None
    start = row.get(f"{segment}_sequence_start")
    end = row.get(f"{segment}_sequence_end")
    return SegmentMatch(
        name=call[0],
        start=start if isinstance(start, int) else -1,
        end=end if isinstance(end, int) else -1,
        equal_alleles=call[1],
    )


def _airr_sample(name: str, clones: list[CloneResult]) -> SampleResult:
    per_locus: dict[str, int] = {}
    for clone in clones:
        per_locus[clone.locus] = per_locus.get(clone.locus, 0) + clone.reads[0]
    total = sum(per_locus.values())
    return SampleResult(
        original_name=name, total_reads=total, segmented_reads=total, reads_per_locus=per_locus
    )
