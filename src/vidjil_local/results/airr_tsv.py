"""AIRR rearrangement TSV: one row per clone written with the `airr` library, and read back (ours
or another tool's) as a one-sample result, the reader imported results go through.

Rows are built with our 0-based half-open positions and `airr`'s writer (`base=1`) turns every
`*_start` into the 1-based closed coordinates of the AIRR standard; ends are unchanged.
`import airr` pulls pandas (about 0.6 s), so it happens only when a file is written.
"""

from __future__ import annotations

import csv
import gzip
import os
from pathlib import Path
from typing import Any

from vidjil_local.core.detection import Reason
from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    Designation,
    SampleResult,
    SegmentMatch,
    VIdentity,
)
from vidjil_local.errors import InputFormatError
from vidjil_local.results._atomic import atomic_text_file
from vidjil_local.results.fields import FieldError, shown, whole

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
    "repertoire_id",
    "v_identity",
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

    `duplicate_count` is the clone's reads in `sample` (clones absent from it are left out);
    when `sample` is None, in each sample (see `airr_rows`).
    """
    from airr.io import RearrangementWriter

    rows = airr_rows(result, sample)
    with atomic_text_file(path) as handle:
        writer = RearrangementWriter(handle, fields=OPTIONAL_FIELDS + EXTRA_FIELDS, base=1)
        for row in rows:
            writer.write(row)


def airr_rows(result: AnalysisResult, sample: int | None = None) -> list[dict[str, Any]]:
    """The rows, with 0-based half-open positions (`airr`'s writer converts them).

    A clone of a result of several samples (a diagnosis and its follow-up analysed together)
    has a row per sample it has reads in, named by the sample's file in `repertoire_id` and
    `sequence_id` as the viewer's export names them: each sample's count stays its own."""
    if sample is None and len(result.samples) == 1:
        sample = 0
    if sample is not None:
        return [_row(clone, clone.reads[sample]) for clone in result.clones if clone.reads[sample]]
    rows = []
    for clone in result.clones:
        for index, count in enumerate(clone.reads):
            if count > 0:
                name = result.samples[index].original_name
                row = _row(clone, count)
                rows.append(
                    {**row, "sequence_id": f"{clone.clone_id}|{name}", "repertoire_id": name}
                )
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
    if clone.v_identity is not None:  # AIRR: a fraction (IMGT and our .vidjil: a percentage)
        row["v_identity"] = round(clone.v_identity.percent / 100.0, 5)
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


def read_airr(path: str | os.PathLike[str], gzipped: bool = False) -> AnalysisResult:
    """An AIRR rearrangement TSV (ours, vidjil-algo's, IgBLAST's...) as a one-sample result.

    Rows of one junction form one clone (rows without a junction are one clone per
    `clone_id`, else per `sequence_id`); `duplicate_count` (else `consensus_count`, else 1)
    counts its reads; the first of comma-separated calls names its gene.
    """
    path = Path(path)
    opener = gzip.open if gzipped else open
    clones: dict[str, CloneResult] = {}
    no_hit = 0
    line = 1
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = {"sequence_id", "locus"} - set(reader.fieldnames or [])
            if missing:
                message = f"not an AIRR TSV file (no {', '.join(sorted(missing))} column)"
                raise InputFormatError(message, str(path), 1, field=sorted(missing)[0])
            for line, row in enumerate(reader, start=2):
                if (row.get("sequence_id") or "").startswith("Total queries"):
                    break  # IgBLAST's summary after the table (Vidjil's fuse stops there too)
                _check_complete(row, str(path), line)
                if _is_no_hit(row):
                    no_hit += _reads_of(row, str(path), line)
                else:
                    _add_airr_row(clones, row, str(path), line)
    except UnicodeDecodeError:
        raise InputFormatError("not UTF-8 text", str(path), line + 1) from None
    except csv.Error as error:  # e.g. a cell longer than csv's field limit
        raise InputFormatError(f"not a TSV table ({error})", str(path), line + 1) from None
    ranked = sorted(clones.values(), key=lambda clone: -clone.reads[0])
    for rank, clone in enumerate(ranked, start=1):
        clone.top = rank
    reads = sum(clone.reads[0] for clone in ranked)
    loci: dict[str, int] = {}
    for clone in ranked:
        loci[clone.locus] = loci.get(clone.locus, 0) + clone.reads[0]
    unsegmented = {Reason.TOO_FEW_KMERS.label: no_hit} if no_hit else {}
    sample = SampleResult(path.name, reads + no_hit, reads, loci, unsegmented, "AIRR import")
    return AnalysisResult([sample], ranked, "AIRR import")


def _add_airr_row(
    clones: dict[str, CloneResult], row: dict[str, str], where: str, line: int
) -> None:
    count = _reads_of(row, where, line)
    for required in ("sequence_id", "locus"):
        if not row.get(required):
            raise InputFormatError(f"{required} is empty", where, line, field=required)
    # A clone without a junction: its rows of each sample share its clone_id (ours, several
    # samples), else it is the row's own.
    clone_id = row.get("junction") or row.get("clone_id") or row["sequence_id"]
    if clone_id in clones:
        clones[clone_id].reads[0] += count
        return
    sequence = row.get("sequence") or clone_id
    clones[clone_id] = CloneResult(
        clone_id=clone_id,
        locus=row["locus"],
        reads=[count],
        sequence=sequence,
        top=0,
        window_start=sequence.find(clone_id),
        designation=_airr_designation(row, sequence),
        v_identity=_identity(row.get("v_identity"), row.get("v_call") or ""),
    )


def _reads_of(row: dict[str, str], where: str, line: int) -> int:
    column = "duplicate_count" if row.get("duplicate_count") else "consensus_count"
    return _count(row.get(column) or "1", column, where, line)


def _count(text: str, column: str, where: str, line: int) -> int:
    """A read count: a whole number written as digits (or as an integral decimal)."""
    try:
        return whole(int(text) if text.strip().isdigit() else float(text), column)
    except (ValueError, FieldError):
        raise InputFormatError(
            f"{column} {shown(text)} is not a count of reads", where, line, field=column
        ) from None


def _check_complete(row: dict[str, str], where: str, line: int) -> None:
    """A row shorter than the header is cut, not a read without genes (IgBLAST writes those
    with every cell, empty)."""
    cut = [column for column, value in row.items() if value is None]
    if cut:
        message = f"{cut[0]} is missing (the row has fewer cells than the header)"
        raise InputFormatError(message, where, line, field=cut[0])


def _is_no_hit(row: dict[str, str]) -> bool:
    """A read the aligner found no gene in (IgBLAST writes it with an empty locus and calls):
    an unsegmented read, not a clone."""
    return not any(row.get(column) for column in ("locus", "v_call", "d_call", "j_call"))


def _identity(text: str | None, calls: str) -> VIdentity | None:
    """AIRR's fraction; IgBLAST writes a percentage there, told apart by being above 1."""
    try:
        value = float(text or "")
    except ValueError:
        return None
    percent = value * 100.0 if value <= 1.0 else value
    return VIdentity(calls.split(",")[0].strip(), percent, 0, 0, 0, -1, -1)


def _airr_designation(row: dict[str, str], sequence: str) -> Designation:
    def gene(column: str) -> SegmentMatch | None:
        call = (row.get(column) or "").split(",")[0].strip()
        return SegmentMatch(call, -1, -1) if call else None

    junction = row.get("junction") or ""
    start = sequence.find(junction) if junction else -1
    productive = {"T": True, "TRUE": True, "F": False, "FALSE": False}.get(
        (row.get("productive") or "").upper()
    )
    return Designation(
        locus=row["locus"],
        v=gene("v_call"),
        d=gene("d_call"),
        j=gene("j_call"),
        junction_start=start,
        junction_end=start + len(junction) if start >= 0 else -1,
        junction=junction if start >= 0 else "",
        junction_aa=row.get("junction_aa") or "",
        productive=productive,
    )
