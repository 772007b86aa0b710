"""Analysis results as files, both ways: `.vidjil` JSON for Vidjil's web client, AIRR TSV."""

from vidjil_local.results.airr_tsv import airr_rows, read_airr, write_airr
from vidjil_local.results.vidjil import read_vidjil, vidjil_document, write_vidjil

__all__ = ["airr_rows", "read_airr", "read_vidjil", "vidjil_document", "write_airr", "write_vidjil"]
