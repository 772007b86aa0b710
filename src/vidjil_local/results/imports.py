"""Results made elsewhere, imported as one-sample results: a `.vidjil` file, an AIRR
rearrangement TSV or a MiXCR clone table (plain or gzipped), told apart by their content
(`sniff`)."""

from __future__ import annotations

import csv
from pathlib import Path

from vidjil_local.core import AnalysisResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results.airr_tsv import read_airr
from vidjil_local.results.mixcr import read_mixcr
from vidjil_local.results.sniff import ResultFormat, sniff_result
from vidjil_local.results.vidjil import read_vidjil


def import_result(path: Path) -> AnalysisResult:
    """A one-sample result from a `.vidjil` file, an AIRR rearrangement TSV or a MiXCR table."""
    try:
        sniffed = sniff_result(path)
    except OSError as error:
        raise InputFormatError(f"cannot open: {error.strerror}", str(path)) from None
    if sniffed.format is ResultFormat.VIDJIL:
        result = read_vidjil(path)
        if len(result.samples) != 1:
            count = len(result.samples)
            raise InputFormatError(
                f"an imported .vidjil must hold one sample, not {count}", str(path)
            )
        return result
    if sniffed.format is None:  # not read as AIRR: its errors would name a column of junk
        raise InputFormatError(
            "neither a .vidjil nor an AIRR TSV file nor a MiXCR clone table", str(path)
        )
    try:
        if sniffed.format is ResultFormat.MIXCR:
            return read_mixcr(path, gzipped=sniffed.gzipped)
        return read_airr(path, gzipped=sniffed.gzipped)
    except (UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
        raise InputFormatError(
            f"neither a .vidjil nor an AIRR TSV file ({error})", str(path)
        ) from None
