"""Genes aligned on a clone sequence (`Hit`), found by `SegmentAligner`, and their boundaries.

A hit is one ungapped segment of a germline gene on one diagonal, or a few such pieces when a
V 3' end or a J 5' end is followed past a small insertion or deletion (sequencing errors in
homopolymers, or somatic indels) so the junction anchors stay right.
"""

from __future__ import annotations

import math

from vidjil_local.core._align import KmerIndex, best_pairs, best_segment, match_scores
from vidjil_local.core.genes import Gene
from vidjil_local.core.result import SegmentMatch

CANDIDATE_RATIO = 0.5  # keep pairs with at least half the top k-mer vote
MAX_CANDIDATES = 32
MAX_INDEL = 3  # longest insertion or deletion followed inside a gene
MIN_PIECE_SCORE = 8  # a piece past an indel must be this good (chance: ~1e-4 per position)
MIN_ANCHOR_PIECE_SCORE = 5  # a piece holding a junction anchor, searched near it only
ANCHOR_WINDOW = 12  # how far from the anchor codon such a piece is searched
# Priors (usage, deletions) choose among the hits scoring at most PRIOR_MARGIN below the best:
# one more matched nucleotide is ~4 times likelier than the same nucleotide left to an N region
# (1 in 4 by chance), so a prior must be 4 or 16 times likelier to overturn 1 or 2 points.
# A mismatch costs 4 points: the priors never overturn one.
PRIOR_MARGIN = 2
SCORE_LOG_ODDS = math.log(4.0)
PRIOR_FLOOR = 1e-4  # lower (and unknown) probabilities count as this
_SHIFTS = sorted((shift for shift in range(-MAX_INDEL, MAX_INDEL + 1) if shift), key=abs)


class Hit:
    """A gene aligned on the sequence: one ungapped piece, or a few across small indels."""

    def __init__(self, gene: Gene, diagonal: int, start: int, end: int, score: int) -> None:
        self.gene = gene
        self.rank = 0  # the gene's place in the tie order (`tie_ranks`), to break ties
        self.diagonal = diagonal  # of the best piece
        self.start = start  # on the sequence
        self.end = end
        self.score = score
        self.mismatches = 0
        self.equal: list[str] = []
        self.start_diagonal = diagonal  # of the 5'-most piece
        self.end_diagonal = diagonal  # of the 3'-most piece
        self.first_piece_end = end
        self.last_piece_start = start
        self.main_start = start  # the best piece, before any indel was followed
        self.main_end = end

    def diagonal_at(self, gene_position: int, width: int = 1) -> int:
        """The diagonal of the piece that holds this position of the gene (`width` nt from it).

        A position aligned by the best piece stays on its diagonal: a piece followed past an
        "indel" next to it may be an N region that happens to look like the gene shifted.
        """
        on_main = gene_position + self.diagonal
        if self.main_start <= on_main and on_main + width <= self.main_end:
            return self.diagonal
        if gene_position + self.end_diagonal >= self.last_piece_start:
            return self.end_diagonal
        if gene_position + self.start_diagonal < self.first_piece_end:
            return self.start_diagonal
        return self.diagonal

    def anchor_position(self, sequence: str) -> int:
        """Where the gene's anchor codon is on the sequence, -1 if the gene has none.

        When no aligned nucleotide touches the codon it is extrapolated along the nearest piece;
        if the codon found there differs from the germline one, an indel right next to it is
        likely and the nearest exact copy within `MAX_INDEL` nt is taken instead.
        """
        anchor = self.gene.anchor
        if anchor < 0:
            return -1
        position = anchor + self.diagonal_at(anchor, 3)
        aligned = (
            self.start - self.start_diagonal < anchor + 3 and anchor < self.end - self.end_diagonal
        )
        codon = self.gene.sequence[anchor : anchor + 3]
        if aligned or sequence[position : position + 3] == codon:
            return position
        for shift in _SHIFTS:
            if position + shift >= 0 and sequence[position + shift : position + shift + 3] == codon:
                return position + shift
        return position

    def match(self, deleted_5: bool, deleted_3: bool) -> SegmentMatch:
        gene_start = self.start - self.start_diagonal
        gene_end = self.end - self.end_diagonal
        return SegmentMatch(
            name=self.gene.name,
            start=self.start,
            end=self.end,
            deleted_5=gene_start if deleted_5 else 0,
            deleted_3=len(self.gene.sequence) - gene_end if deleted_3 else 0,
            score=self.score,
            mismatches=self.mismatches,
            equal_alleles=tuple(self.equal),
            germline_start=gene_start,
            germline_end=gene_end,
        )

    def follow_3prime(self, sequence: str, high: int) -> None:
        """Extend the 3' end past small indels, while a good piece continues the gene."""
        for _ in range(2):
            piece = self._piece(sequence, self.end_diagonal, self.end - MAX_INDEL, high)
            if piece is None or piece[2] <= self.end or piece[1] > self.end + MAX_INDEL:
                return
            self.end_diagonal, self.last_piece_start, self.end = piece[0], piece[1], piece[2]
            self.score += piece[3]

    def follow_5prime(self, sequence: str, low: int) -> None:
        """Extend the 5' start past small indels, while a good piece continues the gene."""
        for _ in range(2):
            piece = self._piece(sequence, self.start_diagonal, low, self.start + MAX_INDEL)
            if piece is None or piece[1] >= self.start or piece[2] < self.start - MAX_INDEL:
                return
            self.start_diagonal, self.start, self.first_piece_end = piece[0], piece[1], piece[2]
            self.score += piece[3]

    def hold_anchor_3prime(self, sequence: str, high: int) -> None:
        """When the V Cys codon lies past the alignment (an indel too close to follow), take
        the short piece that holds it if it beats the unshifted diagonal."""
        anchor = self.gene.anchor
        if anchor < 0 or anchor + 3 <= self.end - self.end_diagonal:
            return
        window_high = min(high, anchor + self.end_diagonal + 3 + ANCHOR_WINDOW)
        low = self.end - MAX_INDEL
        piece = self._piece(sequence, self.end_diagonal, low, window_high, anchor)
        if piece is not None and piece[0] != self.end_diagonal:
            self.end_diagonal, self.last_piece_start = piece[0], piece[1]
            self.end = max(self.end, piece[2])

    def hold_anchor_5prime(self, sequence: str, low: int) -> None:
        """The same for a J Phe/Trp codon lying before the alignment."""
        anchor = self.gene.anchor
        if anchor < 0 or anchor >= self.start - self.start_diagonal:
            return
        window_low = max(low, anchor + self.start_diagonal - ANCHOR_WINDOW)
        high = self.start + MAX_INDEL
        piece = self._piece(sequence, self.start_diagonal, window_low, high, anchor)
        if piece is not None and piece[0] != self.start_diagonal:
            self.start_diagonal, self.first_piece_end = piece[0], piece[2]
            self.start = min(self.start, piece[1])

    def _piece(
        self, sequence: str, diagonal: int, low: int, high: int, anchor: int = -1
    ) -> tuple[int, int, int, int] | None:
        """(diagonal, start, end, score) of the best piece on a diagonal shifted by an indel.

        With an `anchor`, only pieces holding its codon count, the unshifted diagonal competes
        (and wins ties) and a shorter piece is enough.
        """
        best: tuple[int, int, int, int] | None = None
        minimum = MIN_PIECE_SCORE if anchor < 0 else MIN_ANCHOR_PIECE_SCORE
        for shift in sorted(range(-MAX_INDEL, MAX_INDEL + 1), key=abs):
            if shift == 0 and anchor < 0:
                continue
            segment = best_segment(sequence, self.gene.sequence, diagonal + shift, low, high)
            holds = segment.gene_start <= anchor and anchor + 3 <= segment.gene_end
            if segment.score < minimum or (anchor >= 0 and not holds):
                continue
            if best is None or segment.score > best[3]:
                start = segment.gene_start + diagonal + shift
                end = segment.gene_end + diagonal + shift
                best = (diagonal + shift, start, end, segment.score)
        return best


class SegmentAligner:
    """Aligns one segment type (V, D or J genes of a locus) on sequences."""

    def __init__(self, genes: tuple[Gene, ...], k: int, step: int = 1) -> None:
        self.genes = genes
        self.step = step
        self.sequences = [gene.sequence for gene in genes]
        self.index = KmerIndex(self.sequences, k)
        self.tie_ranks = tie_ranks(self.sequences)
        self.has_priors = any(gene.usage > 0.0 for gene in genes)

    def align(self, sequence: str, low: int, high: int, min_score: int) -> Hit | None:
        """The best-scoring gene in `sequence[low:high]`, with its equally good rivals."""
        hits: list[Hit] = []
        votes = self.index.votes(sequence, low, high, self.step)
        for number, diagonal in best_pairs(votes, CANDIDATE_RATIO, MAX_CANDIDATES):
            segment = best_segment(sequence, self.sequences[number], diagonal, low, high)
            if segment.score >= min_score:
                start, end = segment.gene_start + diagonal, segment.gene_end + diagonal
                hit = Hit(self.genes[number], diagonal, start, end, segment.score)
                hit.mismatches = segment.mismatches
                hit.rank = self.tie_ranks[number]
                hits.append(hit)
        return most_likely(hits) if self.has_priors else best_with_ties(hits)


def tie_ranks(sequences: list[str]) -> list[int]:
    """The order in which genes win equal scores: complete germlines first, then file order.

    A germline sequence found inside a longer one of the same set (a partial sequence, such as
    TRGJ1*02 inside TRGJ2*01) cannot align better than the complete one, only as well: it wins
    only on a strictly better score and is otherwise listed among the equal genes. Identical
    sequences (TRBV6-2*01 and TRBV6-3*01) keep their file order.
    """
    partial = [
        any(len(other) > len(sequence) and sequence in other for other in sequences)
        for sequence in sequences
    ]
    order = sorted(range(len(sequences)), key=lambda n: (partial[n], n))
    ranks = [0] * len(sequences)
    for rank, number in enumerate(order):
        ranks[number] = rank
    return ranks


def best_with_ties(hits: list[Hit]) -> Hit | None:
    if not hits:
        return None
    hits.sort(key=lambda hit: (-hit.score, hit.rank))
    return _with_rivals(hits[0], hits)


def most_likely(hits: list[Hit]) -> Hit | None:
    """The hit whose gene is likeliest given its score, usage and deletion priors, among those
    scoring at most `PRIOR_MARGIN` below the best; the rivals scoring as well or better are
    listed as equal."""
    if not hits:
        return None
    top = max(hit.score for hit in hits)
    contenders = [hit for hit in hits if hit.score >= top - PRIOR_MARGIN]
    contenders.sort(key=lambda hit: (-log_likelihood(hit), hit.rank))
    return _with_rivals(contenders[0], sorted(hits, key=lambda hit: (-hit.score, hit.rank)))


def _with_rivals(best: Hit, hits: list[Hit]) -> Hit:
    """`best` with the other genes of `hits` (in that order) scoring as well or better listed as
    equal: the genes the sequence cannot tell from it."""
    for other in hits:
        name = other.gene.name
        if other.score >= best.score and name != best.gene.name and name not in best.equal:
            best.equal.append(name)
    return best


def log_likelihood(hit: Hit) -> float:
    """Score in log-odds units plus the log priors of the gene and of its deleted length."""
    gene = hit.gene
    if gene.segment == "V":
        deleted = len(gene.sequence) - (hit.end - hit.end_diagonal)
    else:
        deleted = hit.start - hit.start_diagonal
    deletion = gene.deletions[deleted] if 0 <= deleted < len(gene.deletions) else 0.0
    return (
        hit.score * SCORE_LOG_ODDS
        + math.log(max(gene.usage, PRIOR_FLOOR))
        + math.log(max(deletion, PRIOR_FLOOR))
    )


def split_overlap(sequence: str, v: Hit, j: Hit) -> None:
    """Give nucleotides claimed by both V and J to the side that scores them best (ties: V)."""
    if v.end <= j.start:
        return
    low, high = j.start, v.end
    v_scores = match_scores(sequence, v.gene.sequence, v.end_diagonal, low, high)
    j_scores = match_scores(sequence, j.gene.sequence, j.start_diagonal, low, high)
    best_split, best_gain, gain = low, 0, 0
    for offset in range(high - low):
        gain += v_scores[offset] - j_scores[offset]
        if gain >= best_gain:
            best_split, best_gain = low + offset + 1, gain
    v.score -= sum(v_scores[best_split - low :])
    j.score -= sum(j_scores[: best_split - low])
    v.end, j.start = best_split, best_split
