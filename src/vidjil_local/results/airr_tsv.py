"""AIRR rearrangement TSV: one row per clone, written with the `airr` library.

Rows are built with our 0-based half-open positions and `airr`'s writer (`base=1`) turns every
`*_start` into the 1-based closed coordinates of the AIRR standard; ends are unchanged.
`import airr` pulls pandas (about 0.6 s), so it happens only when a file is written.
"""

from __future__ import annotations

import os
from typing import Any

from vidjil_local.core.result import AnalysisResult, CloneResult, Designation, SegmentMatch
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
