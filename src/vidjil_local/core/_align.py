"""Alignment helpers for the designation: k-mer indexes of genes and ungapped segment scoring.

Germline genes align on a clone sequence along one diagonal (sequence position = gene position
+ diagonal) in nearly all cases: somatic hypermutation is mostly substitutions, and the V-(D)-J
boundaries are where the diagonal changes. So a k-mer index proposes (gene, diagonal) pairs and
a maximal-scoring ungapped segment on each diagonal gives the aligned part of the gene.
"""

from __future__ import annotations

MATCH = 1
MISMATCH = -3  # one mutation costs three matches: ends stop at chance matches in N regions
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")
_BASES = "TCAG"
_AMINO_ACIDS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODONS: dict[str, str] = {
    a + b + c: _AMINO_ACIDS[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES)
    for j, b in enumerate(_BASES)
    for k, c in enumerate(_BASES)
}


def reverse_complement(sequence: str) -> str:
    return sequence.translate(_COMPLEMENT)[::-1]


def translate(sequence: str) -> str:
    """Codons from the first nt; unknown codons give X, an incomplete last codon gives "#"."""
    protein = "".join(
        CODONS.get(sequence[start : start + 3], "X") for start in range(0, len(sequence) - 2, 3)
    )
    return protein + "#" if len(sequence) % 3 else protein


_POSITION_BITS = 16  # gene positions are below 65536
_OFFSET = 1 << 20  # diagonals are in (-_OFFSET, _OFFSET)
_SPAN = 2 * _OFFSET


class KmerIndex:
    """Where each k-mer occurs in a list of genes, to vote for (gene, diagonal) pairs.

    Pairs are packed in ints (gene * _SPAN + diagonal + _OFFSET): int keys are much cheaper
    than tuples in the compiled core.
    """

    def __init__(self, sequences: list[str], k: int) -> None:
        self.k = k
        self.table: dict[str, list[int]] = {}
        for number, sequence in enumerate(sequences):
            for position in range(len(sequence) - k + 1):
                kmer = sequence[position : position + k]
                packed = (number << _POSITION_BITS) | position
                if kmer in self.table:
                    self.table[kmer].append(packed)
                else:
                    self.table[kmer] = [packed]

    def votes(self, sequence: str, start: int, end: int, step: int = 1) -> dict[int, int]:
        """Shared k-mers per packed (gene, diagonal), every `step` positions of the region."""
        counts: dict[int, int] = {}
        mask = (1 << _POSITION_BITS) - 1
        for position in range(max(start, 0), min(end, len(sequence)) - self.k + 1, step):
            hits = self.table.get(sequence[position : position + self.k])
            if hits is None:
                continue
            for packed in hits:
                gene, gene_position = packed >> _POSITION_BITS, packed & mask
                key = gene * _SPAN + position - gene_position + _OFFSET
                counts[key] = counts.get(key, 0) + 1
        return counts


def best_pairs(counts: dict[int, int], ratio: float, limit: int) -> list[tuple[int, int]]:
    """The (gene, diagonal) pairs with at least `ratio` of the top vote, most votes first."""
    if not counts:
        return []
    top = max(counts.values())
    kept = sorted((-votes, key) for key, votes in counts.items() if votes >= top * ratio)
    return [(key // _SPAN, key % _SPAN - _OFFSET) for _, key in kept[:limit]]


class Segment:
    """The best ungapped segment of a gene on one diagonal of a sequence (gene coordinates)."""

    def __init__(self, score: int, gene_start: int, gene_end: int, mismatches: int) -> None:
        self.score = score
        self.gene_start = gene_start
        self.gene_end = gene_end
        self.mismatches = mismatches


def best_segment(sequence: str, gene: str, diagonal: int, low: int, high: int) -> Segment:
    """Maximal-scoring ungapped segment of `gene` on `diagonal`, inside `sequence[low:high]`.

    Among equal scores the segment reaching furthest in both directions wins, so germline
    nucleotides are never left to an N region by a tie. N scores 0.
    """
    first = max(0, low - diagonal)
    last = min(len(gene), high - diagonal)
    best_score, best_start, best_end, best_mismatches = 0, first, first, 0
    running, start, mismatches = 0, first, 0
    for position in range(first, last):
        base = sequence[position + diagonal]
        if base == gene[position]:
            running += MATCH
        elif base != "N":
            running += MISMATCH
            mismatches += 1
        if running < 0:
            running, start, mismatches = 0, position + 1, 0
        elif running >= best_score and running > 0:
            best_score, best_start, best_end = running, start, position + 1
            best_mismatches = mismatches
    return Segment(best_score, best_start, best_end, best_mismatches)


def match_scores(sequence: str, gene: str, diagonal: int, start: int, end: int) -> list[int]:
    """Per-position score of `gene` on `diagonal` over `sequence[start:end]` (0 off the gene)."""
    scores = []
    for position in range(start, end):
        gene_position = position - diagonal
        if 0 <= gene_position < len(gene):
            same = sequence[position] == gene[gene_position]
            scores.append(MATCH if same else MISMATCH)
        else:
            scores.append(MISMATCH)
    return scores
