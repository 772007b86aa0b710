"""V(D)J designation of clone sequences: best V, D and J alleles, junction, CDR3, productivity.

`Designer(germline_set)` indexes the genes' k-mers once; `designate(sequence, locus)` designates
the sequence with each recombination the system declares (TRD+ has three) and keeps the best;
"V" and "J" below are the 5' and 3' genes of the recombination, which may be D genes or
elements around them in an incomplete one (IGH+ D-J). An unexpected recombination (`xxx`) takes
the best 5' genes and the best 3' genes of the whole set. For one recombination, it
1. aligns V: k-mer votes propose (allele, diagonal) pairs, each scored by its best ungapped
   segment; the best score wins (ties: complete germlines before partial ones contained in
   them, then germline order; the others are listed in `equal_alleles`, W69 when they name
   different genes). When the germline set has usage and deletion priors, they choose among
   the genes scoring at most 2 below the best (the likeliest recombination, as IGoR would);
2. aligns J the same way on the sequence right of the V start;
3. splits any V/J overlap where the summed score is best (ties go to V);
4. looks for a D in what is left between them, kept only above a chance threshold, then for
   a second D on either side of it (stricter threshold);
5. places the junction from the anchors (V Cys104 .. J Phe/Trp118 + 3) along the diagonals.
Everything is 0-based half-open on the given (strand-corrected) sequence.
"""

from __future__ import annotations

from dataclasses import replace

from vidjil_local.core._align import reverse_complement, translate
from vidjil_local.core._design_hits import Hit, SegmentAligner, split_overlap
from vidjil_local.core.genes import UNEXPECTED, Gene, GermlineSet, Locus, Recombination
from vidjil_local.core.result import (
    W_DESIGNATION_FAILED,
    W_EQUAL_GENES,
    CloneWarning,
    Designation,
)

V_KMER = 10
V_STEP = 3  # V genes are long: every third k-mer is enough to find their diagonal
SHORT_FIVE = 60  # 5' genes shorter than this (D genes as the 5' side) are aligned like J genes
J_KMER = 7
D_KMER = 4
MIN_V_SCORE = 15
MIN_J_SCORE = 10
MAX_V_J_OVERLAP = 15  # J is searched from this far inside the V alignment
D_EXPECTED_CHANCE_HITS = 1.0  # D kept when a chance match this good is expected < once
# A second D (VDDJ) is common in TRD only; elsewhere it must be far less likely by chance.
SECOND_D_EXPECTED_CHANCE_HITS = 0.1
SECOND_D_EXPECTED_CHANCE_HITS_BY_LOCUS = {"TRD": 1.0}


Aligners = dict[tuple[str, tuple[tuple[str, str], ...]], SegmentAligner]


def _aligner(aligners: Aligners, role: str, genes: tuple[Gene, ...]) -> SegmentAligner:
    """The aligner of these genes in this role, built once for every system using them."""
    key = (role, tuple((gene.name, gene.sequence) for gene in genes))
    found = aligners.get(key)
    if found is None:
        if role == "5" and max(len(gene.sequence) for gene in genes) >= SHORT_FIVE:
            found = SegmentAligner(genes, V_KMER, V_STEP)
        else:
            found = SegmentAligner(genes, J_KMER)
        aligners[key] = found
    return found


def _min_score(aligner: SegmentAligner) -> int:
    return MIN_V_SCORE if aligner.index.k == V_KMER else MIN_J_SCORE


class _UnitDesigner:
    """Designates sequences with one recombination: its 5' genes, its D genes (`middle`) and its
    3' genes. Given several recombinations (`xxx`), each 5' and each 3' group is aligned on its
    own and the best-scoring hit wins."""

    def __init__(
        self, name: str, units: list[Recombination], aligners: Aligners, middle: tuple[Gene, ...]
    ) -> None:
        self.name = name
        fives = {id(found): found for found in (_aligner(aligners, "5", u.five) for u in units)}
        threes = {id(found): found for found in (_aligner(aligners, "3", u.three) for u in units)}
        self.v = list(fives.values())
        self.j = list(threes.values())
        self.d = SegmentAligner(middle, D_KMER) if middle else None
        self.d_total_length = sum(len(gene.sequence) for gene in middle)
        self.second_d_chance = SECOND_D_EXPECTED_CHANCE_HITS_BY_LOCUS.get(
            name, SECOND_D_EXPECTED_CHANCE_HITS
        )

    def designate(self, sequence: str) -> Designation:
        v = _best(
            [aligner.align(sequence, 0, len(sequence), _min_score(aligner)) for aligner in self.v]
        )
        if v is None:
            return _failed(self.name, "no V gene found")
        v.follow_3prime(sequence, len(sequence))
        v.hold_anchor_3prime(sequence, len(sequence))
        j_low = max(v.start + 1, v.end - MAX_V_J_OVERLAP)
        j = _best(
            [aligner.align(sequence, j_low, len(sequence), MIN_J_SCORE) for aligner in self.j]
        )
        if j is None or j.end <= v.end:
            return _failed(self.name, f"{v.gene.name} found, but no J gene after it")
        j.follow_5prime(sequence, j_low)
        j.hold_anchor_5prime(sequence, j_low)
        split_overlap(sequence, v, j)
        return _assemble(self.name, sequence, v, self._align_ds(sequence, v.end, j.start), j)

    def _align_ds(self, sequence: str, low: int, high: int) -> list[Hit]:
        """No, one or two D genes between V and J, in sequence order (Vidjil's --several-D)."""
        first = self._align_d(sequence, low, high, D_EXPECTED_CHANCE_HITS)
        if first is None:
            return []
        left = self._align_d(sequence, low, first.start, self.second_d_chance)
        right = self._align_d(sequence, first.end, high, self.second_d_chance)
        second = left if right is None or (left is not None and left.score > right.score) else right
        if second is None:
            return [first]
        return sorted([first, second], key=lambda hit: hit.start)

    def _align_d(self, sequence: str, low: int, high: int, chance: float) -> Hit | None:
        if self.d is None or high - low < D_KMER:
            return None
        return self.d.align(sequence, low, high, self._d_min_score(high - low, chance))

    def _d_min_score(self, region: int, chance: float) -> int:
        """The shortest exact D match expected by chance less than `chance` times here."""
        length = D_KMER
        while region * self.d_total_length / 4.0**length >= chance:
            length += 1
        return length


class _LocusDesigner:
    """Designates sequences of one system: the best of its recombinations (the first on ties)."""

    def __init__(self, locus: Locus, aligners: Aligners) -> None:
        self.name = locus.name
        self.units = [
            _UnitDesigner(locus.name, [unit], aligners, unit.middle) for unit in locus.units()
        ]

    def designate(self, sequence: str) -> Designation:
        best = self.units[0].designate(sequence)
        for unit in self.units[1:]:
            found = unit.designate(sequence)
            if _total_score(found) > _total_score(best):
                best = found
        return best


class Designer:
    """Designates clone sequences against one germline set; build once, reuse for all clones."""

    def __init__(self, germline_set: GermlineSet) -> None:
        self.germline_set = germline_set
        self.aligners: Aligners = {}
        self.loci = {
            locus.name: _LocusDesigner(locus, self.aligners) for locus in germline_set.loci
        }
        self._unexpected: _UnitDesigner | None = None

    def designate(self, sequence: str, locus: str = "") -> Designation:
        """Designate a sequence of `locus` (all loci are tried when it is "" or unknown)."""
        sequence = sequence.upper()
        found = self._designate(sequence, locus)
        if found.v is not None and found.j is not None:
            return found
        reverse = self._designate(reverse_complement(sequence), locus)
        return reverse if reverse.v is not None and reverse.j is not None else found

    def _designate(self, sequence: str, locus: str) -> Designation:
        if locus in self.loci:
            return self.loci[locus].designate(sequence)
        if locus == UNEXPECTED:
            return self._unexpected_designer().designate(sequence)
        return self._best_locus(sequence, locus)

    def _best_locus(self, sequence: str, locus: str) -> Designation:
        best = _failed(locus, "no locus of the germline set matches")
        for designer in self.loci.values():
            found = designer.designate(sequence)
            if _total_score(found) > _total_score(best):
                best = found
        return best

    def _unexpected_designer(self) -> _UnitDesigner:
        """The 5' genes and the 3' genes of every system, each group aligned on its own."""
        if self._unexpected is None:
            units = [unit for locus in self.germline_set.loci for unit in locus.units()]
            self._unexpected = _UnitDesigner(UNEXPECTED, units, self.aligners, ())
        return self._unexpected


def _best(hits: list[Hit | None]) -> Hit | None:
    """The best-scoring hit, the first on ties."""
    best: Hit | None = None
    for hit in hits:
        if hit is not None and (best is None or hit.score > best.score):
            best = hit
    return best


def _total_score(designation: Designation) -> int:
    return sum(match.score for match in (designation.v, designation.j) if match is not None)


def _failed(locus: str, reason: str) -> Designation:
    warning = CloneWarning(W_DESIGNATION_FAILED, f"No V(D)J designation: {reason}")
    return Designation(locus=locus, warnings=(warning,))


def _assemble(locus: str, sequence: str, v: Hit, ds: list[Hit], j: Hit) -> Designation:
    """The designation of V, the D genes (in sequence order) and J, with the junction."""
    boundaries = [v.end] + [edge for d in ds for edge in (d.start, d.end)] + [j.start]
    insertions = [sequence[boundaries[n] : boundaries[n + 1]] for n in range(0, len(boundaries), 2)]
    insertions += ["", ""]
    matches = [d.match(deleted_5=True, deleted_3=True) for d in ds] + [None, None]
    common = Designation(
        locus=locus,
        v=v.match(deleted_5=False, deleted_3=True),
        d=matches[0],
        d2=matches[1],
        j=j.match(deleted_5=True, deleted_3=False),
        insertion_1=insertions[0],
        insertion_2=insertions[1],
        insertion_3=insertions[2],
        warnings=tuple(_tie_warnings(v, j)),
    )
    junction_start = v.anchor_position(sequence)
    j_anchor = j.anchor_position(sequence)
    junction_end = j_anchor + 3 if j_anchor >= 0 else -1
    if junction_start < 0 or not junction_start < j_anchor <= len(sequence) - 3:
        return common
    return _with_junction(common, sequence, junction_start, junction_end, v.start, j.end)


def _with_junction(
    base: Designation, sequence: str, start: int, end: int, v_start: int, j_end: int
) -> Designation:
    junction = sequence[start:end]
    junction_aa = translate(junction)
    in_frame = len(junction) % 3 == 0
    frame_start = v_start + (start - v_start) % 3
    stop = "*" in translate(sequence[frame_start:j_end])
    conserved = junction_aa[:1] == "C" and junction_aa[-1:] in ("F", "W")
    return replace(
        base,
        junction_start=start,
        junction_end=end,
        junction=junction,
        junction_aa=junction_aa,
        vj_in_frame=in_frame,
        stop_codon=stop,
        productive=in_frame and not stop and conserved,
    )


def _tie_warnings(v: Hit, j: Hit) -> list[CloneWarning]:
    """W69 when V or J ties with another gene (ties between D genes are common and expected)."""
    warnings = []
    for hit in (v, j):
        other_genes = [name for name in hit.equal if name.split("*")[0] != hit.gene.gene]
        if other_genes:
            names = ", ".join([hit.gene.name, *hit.equal])
            message = f"Several genes with equal probability: {names}"
            warnings.append(CloneWarning(W_EQUAL_GENES, message))
    return warnings
