"""Analysis results as files, both ways: `.vidjil` JSON for Vidjil's web client, AIRR TSV, and
the window counts that let the fuse count any clone down to one read."""

from vidjil_local.results.airr_tsv import airr_rows, read_airr, write_airr
from vidjil_local.results.vidjil import read_vidjil, vidjil_document, write_vidjil
from vidjil_local.results.window_counts import (
    read_window_counts,
    window_counts_path,
    write_window_counts,
)

__all__ = [
    "airr_rows",
    "read_airr",
    "read_vidjil",
    "read_window_counts",
    "vidjil_document",
    "window_counts_path",
    "write_airr",
    "write_vidjil",
    "write_window_counts",
]
