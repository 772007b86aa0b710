"""Analysis results as files: `.vidjil` JSON for Vidjil's web client, AIRR rearrangement TSV."""

from vidjil_local.results.airr_tsv import airr_rows, write_airr
from vidjil_local.results.vidjil import read_vidjil, vidjil_document, write_vidjil

__all__ = ["airr_rows", "read_vidjil", "vidjil_document", "write_airr", "write_vidjil"]
