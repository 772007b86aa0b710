"""V identity: how far a clone's V region has moved from its germline allele (hypermutation).

The identity is IMGT/V-QUEST's "V-REGION identity %": identical nucleotides / compared
nucleotides between the clone sequence and its closest V allele, from the 5' end of the V region
present in the sequence to the 3' end of FR3-IMGT (the second-Cys codon, 104, included), so the
CDR3, trimmed and extended by the recombination, is left out. An inserted or deleted nucleotide
counts as one compared, non-identical nucleotide; an N of the sequence is not compared.

The alignment is anchored on the Cys codon (the junction start found by the designation, against
the allele's anchor) and extends 5'ward, a banded dynamic programme (at most `BAND` nt of
insertions or deletions), to where the sequence (a read starting inside V) or the germline (a
sequence with a leader or a primer before FR1) ends. Of the designated allele and those tied with
it, the closest (highest identity) is kept.
"""

from __future__ import annotations

from vidjil_local.core.genes import Gene, GermlineSet
from vidjil_local.core.result import Designation, SegmentMatch, VIdentity

BAND = 9  # up to three codons inserted or deleted
MATCH = 1
MISMATCH = -1
GAP = -4  # per nucleotide: an indel is taken when it saves several mismatches
_UNREACHABLE = -(1 << 30)


class IdentityMeter:
    """Measures V identity against the V alleles of one germline set (build once)."""

    def __init__(self, germline_set: GermlineSet) -> None:
        # by locus: two systems may give one name to different sequences
        self.v_genes: dict[tuple[str, str], Gene] = {
            (locus.name, gene.name): gene for locus in germline_set.loci for gene in locus.v_genes
        }

    def v_identity(self, sequence: str, designation: Designation) -> VIdentity | None:
        """The identity to the closest designated V allele; None without V or Cys anchor."""
        match = designation.v
        if match is None:
            return None
        end = _cys_end(designation, match)
        best: VIdentity | None = None
        for name in (match.name, *match.equal_alleles):
            gene = self.v_genes.get((designation.locus, name))
            if gene is None or gene.anchor < 0 or not 0 < end <= len(sequence):
                continue
            found = measure(sequence[:end], gene.sequence[: gene.anchor + 3], gene.name)
            if found is not None and (best is None or found.percent > best.percent):
                best = found
        return best


def _cys_end(designation: Designation, match: SegmentMatch) -> int:
    """Just past the Cys codon on the sequence: the junction start + 3, else the allele's
    anchor carried along the V diagonal; -1 when unknown."""
    if designation.has_junction:
        return designation.junction_start + 3
    return -1


def measure(region: str, germline: str, allele: str) -> VIdentity | None:
    """Identity of `region` (the sequence up to its Cys codon end) to `germline` (the allele up
    to its Cys codon end), both aligned from their 3' ends; None when nothing is compared."""
    path = _align_from_3prime(region[::-1], germline[::-1])
    if path.compared == 0:
        return None
    percent = 100.0 * path.identical / path.compared
    mismatches = path.compared - path.identical - path.gaps
    start = len(region) - path.used
    return VIdentity(allele, percent, path.compared, mismatches, path.gaps, start, len(region))


class _Row:
    """Best paths to the cells of one query position, by band column (j - i + BAND)."""

    def __init__(self, width: int) -> None:
        self.score = [_UNREACHABLE] * width
        self.identical = [0] * width
        self.compared = [0] * width
        self.gaps = [0] * width

    def offer(self, column: int, source: _Row, at: int, step: int, same: int, gap: int) -> None:
        """Reach `column` from `source`'s `at` with one more aligned column, if better."""
        if source.score[at] == _UNREACHABLE:
            return
        score = source.score[at] + step
        if score <= self.score[column]:
            return
        self.score[column] = score
        self.identical[column] = source.identical[at] + same
        self.compared[column] = source.compared[at] + (1 if step != 0 else 0)
        self.gaps[column] = source.gaps[at] + gap


class _Path:
    """The best alignment end seen: where the query or the germline runs out."""

    def __init__(self) -> None:
        self.score = _UNREACHABLE
        self.identical = 0
        self.compared = 0
        self.gaps = 0
        self.used = 0  # query nucleotides aligned

    def consider(self, row: _Row, column: int, used: int) -> None:
        score = row.score[column]
        if score == _UNREACHABLE or score < self.score:
            return
        if score == self.score and row.identical[column] <= self.identical:
            return
        self.score = score
        self.identical = row.identical[column]
        self.compared = row.compared[column]
        self.gaps = row.gaps[column]
        self.used = used


def _align_from_3prime(query: str, germline: str) -> _Path:
    """Banded alignment of two sequences starting together (their anchored 3' ends, reversed),
    ending where either runs out."""
    width = 2 * BAND + 1
    row = _Row(width)
    row.score[BAND] = 0
    _deletions(row, 0, germline)
    best = _Path()
    _ends(best, row, 0, len(query), len(germline))
    for position in range(1, len(query) + 1):
        previous, row = row, _Row(width)
        base = query[position - 1]
        for column in range(width):
            facing = position - 1 + column - BAND  # the germline nucleotide beside `base`
            if 0 <= facing < len(germline):
                _diagonal(row, previous, column, base, germline[facing])
            if column + 1 < width:
                row.offer(column, previous, column + 1, GAP, 0, 1)  # `base` inserted
        _deletions(row, position, germline)
        _ends(best, row, position, len(query), len(germline))
    return best


def _diagonal(row: _Row, previous: _Row, column: int, base: str, germline_base: str) -> None:
    if base == "N":
        row.offer(column, previous, column, 0, 0, 0)
    elif base == germline_base:
        row.offer(column, previous, column, MATCH, 1, 0)
    else:
        row.offer(column, previous, column, MISMATCH, 0, 0)


def _deletions(row: _Row, position: int, germline: str) -> None:
    """Germline nucleotides skipped at this query position, left to right in the band."""
    for column in range(1, len(row.score)):
        if 0 < position + column - BAND <= len(germline):
            row.offer(column, row, column - 1, GAP, 0, 1)


def _ends(best: _Path, row: _Row, position: int, query_length: int, germline_length: int) -> None:
    for column in range(len(row.score)):
        used_germline = position + column - BAND
        if 0 <= used_germline <= germline_length and (
            position == query_length or used_germline == germline_length
        ):
            best.consider(row, column, position)
