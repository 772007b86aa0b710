"""What a result file made elsewhere is, from its first bytes: gzip or not, and under that a
`.vidjil` JSON document, an AIRR rearrangement TSV (vidjil-algo, IgBLAST, V-QUEST...), a MiXCR
clone table, or none of them. The name is never trusted."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from enum import StrEnum

from vidjil_local.results.mixcr import is_mixcr_header

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"  # what Excel and Windows editors put before "UTF-8" text
HEAD_BYTES = 4096


class ResultFormat(StrEnum):
    VIDJIL = "vidjil"
    AIRR = "airr"
    MIXCR = "mixcr"


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
        if self.format is ResultFormat.MIXCR:
            return ".mixcr.tsv.gz" if self.gzipped else ".mixcr.tsv"
        return ""


def sniff_result(path: str | os.PathLike[str]) -> Sniffed:
    """A `.vidjil` is a plain JSON object; an AIRR TSV (plain or gzipped) has a `sequence_id`
    column in its header, a MiXCR clone table `cloneId` and its read count. Raises OSError when
    the file cannot be opened."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    gzipped = head.startswith(GZIP_MAGIC)
    if gzipped:
        try:
            with gzip.open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except (OSError, EOFError):
            return Sniffed(None, gzipped)
    head = head.removeprefix(UTF8_BOM)
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if head.lstrip().startswith(b"{") and not gzipped:
        return Sniffed(ResultFormat.VIDJIL, gzipped)
    columns = first_line.split(b"\t")
    if b"sequence_id" in columns:
        return Sniffed(ResultFormat.AIRR, gzipped)
    if is_mixcr_header([column.decode("utf-8", "replace") for column in columns]):
        return Sniffed(ResultFormat.MIXCR, gzipped)
    return Sniffed(None, gzipped)
