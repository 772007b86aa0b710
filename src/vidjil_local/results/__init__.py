"""Result file formats, one home each: `.vidjil` JSON (`vidjil.py`, read and written), AIRR TSV
(`airr_tsv.py`, read and written), the window counts that let the fuse count any clone down to
one read (`window_counts.py`), what a file made elsewhere is (`sniff.py`), importing one
(`imports.py`), `.analysis` files (`analysis_file.py`), the multi-sample fuse of `.vidjil`
documents (`fuse.py`) and the quality figures of a one-sample result (`quality.py`)."""

from vidjil_local.results._atomic import atomic_text_file, unfinished_writes
from vidjil_local.results.airr_tsv import airr_rows, read_airr, write_airr
from vidjil_local.results.fuse import FusedSample, fuse
from vidjil_local.results.imports import import_result, import_samples
from vidjil_local.results.quality import LengthHistogram, MainClone, SampleQuality, sample_quality
from vidjil_local.results.sniff import ResultFormat, Sniffed, sniff_result
from vidjil_local.results.vidjil import (
    VIDJIL_JSON_VERSION,
    load_document,
    read_vidjil,
    vidjil_document,
    write_vidjil,
)
from vidjil_local.results.window_counts import (
    read_window_counts,
    window_counts_path,
    write_window_counts,
)

__all__ = [
    "VIDJIL_JSON_VERSION",
    "FusedSample",
    "LengthHistogram",
    "MainClone",
    "ResultFormat",
    "SampleQuality",
    "Sniffed",
    "airr_rows",
    "atomic_text_file",
    "fuse",
    "import_result",
    "import_samples",
    "load_document",
    "read_airr",
    "read_vidjil",
    "read_window_counts",
    "sample_quality",
    "sniff_result",
    "unfinished_writes",
    "vidjil_document",
    "window_counts_path",
    "write_airr",
    "write_vidjil",
    "write_window_counts",
]
