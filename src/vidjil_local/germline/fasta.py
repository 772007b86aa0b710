"""Germline FASTA files in the IMGT style that vidjil-algo reads, and their anchors.

Headers look like `>source|IGHV1-18*01|Homo sapiens|F|V-REGION|...`: field 2 is the allele
name (a header without `|` is the name itself). Sequences may be IMGT-gapped with dots, which
are not sequence: they place the first nucleotide of the V Cys104 codon at gapped position 310
and the first nucleotide of the J Phe/Trp118 codon at gapped position 36 (1-based). Checked on
the bundled set: for all 564 V and J genes, the number of non-dot characters before 0-based
gapped index 309 (V) or 35 (J) equals the `anchor` column of its `anchors.tsv`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from vidjil_local.errors import GermlineError

V_ANCHOR_GAPPED_INDEX = 309  # 0-based gapped index of the Cys104 codon's first nt
J_ANCHOR_GAPPED_INDEX = 35  # 0-based gapped index of the Phe/Trp118 codon's first nt
_SEQUENCE_LETTERS = frozenset("ACGTNRYKMSWBDHV.")


@dataclass(frozen=True)
class FastaRecord:
    name: str
    gapped: str  # uppercase, dots kept

    @property
    def sequence(self) -> str:
        return self.gapped.replace(".", "")


def allele_name(header: str) -> str:
    """The allele name of a FASTA header (without the `>`)."""
    fields = header.split("|")
    name = fields[1] if len(fields) > 1 else fields[0].split()[0] if fields[0].split() else ""
    return name.strip()


def parse_fasta(text: str, path: str) -> list[FastaRecord]:
    """Parse a germline FASTA; a `GermlineError` names the file and line of any problem."""
    records: list[FastaRecord] = []
    name: str | None = None
    parts: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(">"):
            _close_record(records, name, parts, path, number)
            name, parts = _header_name(line, path, number), []
        elif name is None:
            raise _fasta_error("sequence before the first '>' header", path, number)
        else:
            parts.append(_checked_sequence(line, path, number))
    _close_record(records, name, parts, path, len(text.splitlines()) + 1)
    if not records:
        raise GermlineError(f"{path}: no FASTA record", path=path)
    return records


def _header_name(line: str, path: str, number: int) -> str:
    name = allele_name(line[1:])
    if not name:
        raise _fasta_error("header without a gene name", path, number)
    return name


def _checked_sequence(line: str, path: str, number: int) -> str:
    sequence = line.upper()
    if not _SEQUENCE_LETTERS.issuperset(sequence):
        bad = sorted(set(sequence) - _SEQUENCE_LETTERS)
        raise _fasta_error(f"unexpected characters {''.join(bad)!r} in sequence", path, number)
    return sequence


def _close_record(
    records: list[FastaRecord], name: str | None, parts: list[str], path: str, number: int
) -> None:
    if name is None:
        return
    gapped = "".join(parts)
    if not gapped.replace(".", ""):
        raise _fasta_error(f"record {name!r} has no sequence", path, number - 1)
    records.append(FastaRecord(name, gapped))


def _fasta_error(message: str, path: str, line: int) -> GermlineError:
    return GermlineError(f"{path}:{line}: {message}", path=path, line=line)


def gapped_anchor(gapped: str, gapped_index: int) -> int:
    """The ungapped position at `gapped_index`, or -1 if the sequence is not gapped that far."""
    if gapped_index >= len(gapped) or gapped[gapped_index] == ".":
        return -1
    if "." not in gapped:
        return -1  # an ungapped sequence says nothing about its anchor
    return gapped_index - gapped.count(".", 0, gapped_index)


def parse_anchors(text: str) -> dict[tuple[str, str], int]:
    """`anchors.tsv` as {(segment, allele): anchor}; empty anchors are left out."""
    anchors: dict[tuple[str, str], int] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        value = (row.get("anchor") or "").strip()
        if value.lstrip("-").isdigit() and int(value) >= 0:
            anchors[(row["segment"].strip(), row["gene"].strip())] = int(value)
    return anchors
