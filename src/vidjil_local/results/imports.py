"""Results made elsewhere, imported as one-sample results: a `.vidjil` file or an AIRR
rearrangement TSV (plain or gzipped)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from vidjil_local.core import AnalysisResult, CloneResult, Designation, SampleResult, SegmentMatch
from vidjil_local.errors import InputFormatError
from vidjil_local.results.vidjil import read_vidjil

GZIP_MAGIC = b"\x1f\x8b"


def import_result(path: Path) -> AnalysisResult:
    """A one-sample result made elsewhere: a `.vidjil` file or an AIRR rearrangement TSV."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputFormatError(f"cannot open: {error.strerror}", str(path)) from None
    if head.lstrip().startswith(b"{"):
        result = read_vidjil(path)
        if len(result.samples) != 1:
            count = len(result.samples)
            raise InputFormatError(
                f"an imported .vidjil must hold one sample, not {count}", str(path)
            )
        return result
    try:
        return read_airr_result(path, gzipped=head.startswith(GZIP_MAGIC))
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        raise InputFormatError(
            f"neither a .vidjil nor an AIRR TSV file ({error})", str(path)
        ) from None


def read_airr_result(path: Path, gzipped: bool = False) -> AnalysisResult:
    """An AIRR rearrangement TSV as a one-sample result; rows of one junction form one clone."""
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = {"sequence_id", "locus"} - set(reader.fieldnames or [])
        if missing:
            message = f"not an AIRR TSV file (no {', '.join(sorted(missing))} column)"
            raise InputFormatError(message, str(path), 1)
        clones: dict[str, CloneResult] = {}
        for line, row in enumerate(reader, start=2):
            _add_airr_row(clones, row, str(path), line)
    ranked = sorted(clones.values(), key=lambda clone: -clone.reads[0])
    for rank, clone in enumerate(ranked, start=1):
        clone.top = rank
    reads = sum(clone.reads[0] for clone in ranked)
    loci: dict[str, int] = {}
    for clone in ranked:
        loci[clone.locus] = loci.get(clone.locus, 0) + clone.reads[0]
    sample = SampleResult(path.name, reads, reads, loci, producer="AIRR import")
    return AnalysisResult([sample], ranked, "AIRR import")


def _add_airr_row(
    clones: dict[str, CloneResult], row: dict[str, str], where: str, line: int
) -> None:
    count_text = row.get("duplicate_count") or row.get("consensus_count") or "1"
    try:
        count = int(float(count_text))
    except ValueError:
        raise InputFormatError(
            f"duplicate_count {count_text!r} is not a number", where, line
        ) from None
    clone_id = row.get("junction") or row["sequence_id"]
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
    )


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
