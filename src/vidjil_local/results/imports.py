"""Results made elsewhere, imported as one-sample results: a `.vidjil` file, an AIRR
rearrangement TSV or a MiXCR clone table (plain or gzipped), told apart by their content
(`sniff`). A `.vidjil` of several samples (a set fused by Vidjil) is split into one result per
sample (`import_samples`), each holding only the clones seen in its sample."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from vidjil_local.core import AnalysisResult, CloneResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results.airr_tsv import read_airr
from vidjil_local.results.mixcr import read_mixcr
from vidjil_local.results.sniff import ResultFormat, sniff_result
from vidjil_local.results.vidjil import read_vidjil


def import_result(path: Path) -> AnalysisResult:
    """A one-sample result from a `.vidjil` file, an AIRR rearrangement TSV or a MiXCR table."""
    results = import_samples(path)
    if len(results) != 1:
        raise InputFormatError(
            f"an imported .vidjil must hold one sample, not {len(results)} (uploaded, such a "
            "file makes one sample of each)",
            str(path),
        )
    return results[0]


def import_samples(path: Path) -> list[AnalysisResult]:
    """One result per sample of a `.vidjil` file (one for an AIRR or MiXCR table), the whole
    file checked first: any problem is an InputFormatError naming its field or line."""
    try:
        sniffed = sniff_result(path)
    except OSError as error:
        raise InputFormatError(f"cannot open: {error.strerror}", str(path)) from None
    if sniffed.format is ResultFormat.VIDJIL:
        result = read_vidjil(path)
        _check_unique_ids(result, path)
        if not result.samples:
            raise InputFormatError("samples: the file lists no sample", str(path))
        if len(result.samples) == 1:
            return [result]
        return [one_sample(result, index) for index in range(len(result.samples))]
    if sniffed.format is None:  # not read as AIRR: its errors would name a column of junk
        raise InputFormatError(
            "neither a .vidjil nor an AIRR TSV file nor a MiXCR clone table", str(path)
        )
    try:
        if sniffed.format is ResultFormat.MIXCR:
            return [read_mixcr(path, gzipped=sniffed.gzipped)]
        return [read_airr(path, gzipped=sniffed.gzipped)]
    except (UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
        raise InputFormatError(
            f"neither a .vidjil nor an AIRR TSV file ({error})", str(path)
        ) from None


def _check_unique_ids(result: AnalysisResult, path: Path) -> None:
    """A clone id (Vidjil's window) names one clone: the viewer, the fuse and the clone lists
    find clones by it, so a repeated one would show two clones under one name."""
    first_of: dict[str, int] = {}
    for index, clone in enumerate(result.clones):
        first = first_of.setdefault(clone.clone_id, index)
        if first != index:
            field = f"clones[{index}].id"
            message = f"{field}: {clone.clone_id[:80]!r} is already the id of clones[{first}]"
            raise InputFormatError(message, str(path), field=field)


def one_sample(result: AnalysisResult, index: int) -> AnalysisResult:
    """Sample `index` of a multi-sample result alone: its clones with at least one read there,
    their counts and ranks in it (`top`: 1 = its most abundant, as Vidjil ranks a sample)."""
    present = [clone for clone in result.clones if clone.reads[index] > 0]
    ranked = sorted(present, key=lambda clone: -clone.reads[index])  # stable: file order on ties
    rank = {id(clone): position for position, clone in enumerate(ranked, start=1)}
    return AnalysisResult(
        samples=[result.samples[index]],
        clones=[_in_sample(clone, index, rank[id(clone)]) for clone in present],
        producer=result.producer,
        timestamp=result.timestamp,
        germline=result.germline,
        clusters=result.clusters,  # whole: the fuse joins them over the samples' clones
    )


def _in_sample(clone: CloneResult, index: int, top: int) -> CloneResult:
    lengths = clone.average_read_length
    return replace(
        clone,
        reads=[clone.reads[index]],
        top=top,
        average_read_length=[lengths[index]] if index < len(lengths) else [],
    )
