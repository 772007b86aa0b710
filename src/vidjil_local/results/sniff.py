"""What a result file made elsewhere is, from its first bytes: gzip or not, and under that a
`.vidjil` JSON document, an AIRR rearrangement TSV, or neither. The name is never trusted."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from enum import StrEnum

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 4096


class ResultFormat(StrEnum):
    VIDJIL = "vidjil"
    AIRR = "airr"


@dataclass(frozen=True)
class Sniffed:
    format: ResultFormat | None  # None: neither (or a gzip too broken to look inside)
    gzipped: bool

    @property
    def suffix(self) -> str:
        """The suffix a file of this kind is stored under ("" for neither)."""
        if self.format is ResultFormat.VIDJIL:
            return ".vidjil"
        if self.format is ResultFormat.AIRR:
            return ".tsv.gz" if self.gzipped else ".tsv"
        return ""


def sniff_result(path: str | os.PathLike[str]) -> Sniffed:
    """A `.vidjil` is a plain JSON object; an AIRR TSV (plain or gzipped) has a `sequence_id`
    column in its header. Raises OSError when the file cannot be opened."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    gzipped = head.startswith(GZIP_MAGIC)
    if gzipped:
        try:
            with gzip.open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except (OSError, EOFError):
            return Sniffed(None, gzipped)
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if head.lstrip().startswith(b"{") and not gzipped:
        return Sniffed(ResultFormat.VIDJIL, gzipped)
    if b"sequence_id" in first_line.split(b"\t"):
        return Sniffed(ResultFormat.AIRR, gzipped)
    return Sniffed(None, gzipped)
