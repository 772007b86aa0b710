"""Result file formats, one home each: `.vidjil` JSON (`vidjil.py`, read and written), AIRR TSV
(`airr_tsv.py`, read and written), the window counts that let the fuse count any clone down to
one read (`window_counts.py`), what a file made elsewhere is (`sniff.py`), importing one
(`imports.py`), `.analysis` files (`analysis_file.py`), and the multi-sample fuse of `.vidjil`
documents (`fuse.py`)."""

from vidjil_local.results.airr_tsv import airr_rows, read_airr, write_airr
from vidjil_local.results.fuse import FusedSample, fuse
from vidjil_local.results.imports import import_result
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
    "ResultFormat",
    "Sniffed",
    "airr_rows",
    "fuse",
    "import_result",
    "load_document",
    "read_airr",
    "read_vidjil",
    "read_window_counts",
    "sniff_result",
    "vidjil_document",
    "window_counts_path",
    "write_airr",
    "write_vidjil",
    "write_window_counts",
]
