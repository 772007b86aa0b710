"""Spaced-seed k-mer index of the 5' and 3' genes of every system, scanned in one pass per read.

Every k-mer is a 2-bit integer code of a spaced seed (`SEED`, weight 12, span 13: the middle
nucleotide is ignored, so one substitution there does not break the hit). One flat `bytearray`
indexed by that code holds, for each k-mer, a *class set* id; a class is (gene group, strand).
Because all systems share the table, scanning a read costs the same for one locus or twelve.

A gene group is one distinct list of 5' genes or of 3' genes of the recombinations of the set
(IGHV, IGHJ, TRDV, TRAJ, ...): a list several recombinations share (TRAJ in TRA and TRA+D) is
indexed once. A *unit* is one recombination: (system, 5' group, 3' group). Class ids are
`1 + 2 * group + strand` (strand 0 = forward, 1 = reverse complement). Table values
1..`class_count` are single classes; larger values name sets of classes, for the k-mers that
several groups share (the TRAV/DV genes of TRAV and TRDV, the FGGGTK motif of IGKJ and IGLJ):
such a k-mer counts for each of them. Should a germline set need more sets than one byte holds
(Vidjil's full set comes close), the k-mers of the sets found last become `ambiguous`, evidence
for none, as vidjil-algo marks every k-mer shared across its germlines.
"""

from __future__ import annotations

from vidjil_local.core.genes import Gene, GermlineSet

SEED = "######-######"
SEED_SPAN = 13
SEED_WEIGHT = 12
TABLE_SIZE = 1 << (2 * SEED_WEIGHT)
_SPAN_MASK = (1 << (2 * SEED_SPAN)) - 1
_LOW_MASK = (1 << 12) - 1  # the 6 nucleotides right of the ignored one
_HIGH_SHIFT = 14  # drops those 6 and the ignored nucleotide
_MAX_VALUE = 255
STRAND_FORWARD = 0
STRAND_REVERSE = 1
FIVE = 0  # the role of a gene group in a recombination
THREE = 1

# bytes.translate table: A C G T -> 0 1 2 3, anything else -> 4
ENCODING = bytes(
    {ord("A"): 0, ord("C"): 1, ord("G"): 2, ord("T"): 3}.get(byte, 4) for byte in range(256)
)
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def reverse_complement(sequence: str) -> str:
    return sequence.translate(_COMPLEMENT)[::-1]


def class_id(group: int, strand: int) -> int:
    return 1 + 2 * group + strand


def seed_keys(sequence: str) -> list[int]:
    """The seed code of every k-mer of `sequence` without N, in order (no positions)."""
    encoded = sequence.encode("ascii", "replace").translate(ENCODING)
    keys: list[int] = []
    code = 0
    valid = 0
    for value in encoded:
        if value > 3:
            valid = 0
            code = 0
            continue
        code = ((code << 2) | value) & _SPAN_MASK
        valid += 1
        if valid >= SEED_SPAN:
            keys.append(((code >> _HIGH_SHIFT) << 12) | (code & _LOW_MASK))
    return keys


class KmerIndex:
    """The flat k-mer table of a germline set, its gene groups and recombination units, plus
    what the e-values need (k-mers per class)."""

    def __init__(self, germline_set: GermlineSet) -> None:
        self.locus_names: list[str] = [locus.name for locus in germline_set.loci]
        self.groups: list[tuple[Gene, ...]] = []
        self.group_roles: list[int] = []  # FIVE or THREE
        # units, in the preset's order: system index, 5' group, 3' group
        self.unit_loci: list[int] = []
        self.unit_fives: list[int] = []
        self.unit_threes: list[int] = []
        found: dict[tuple[int, tuple[str, ...]], int] = {}
        for locus_index, locus in enumerate(germline_set.loci):
            for recombination in locus.units():
                self.unit_loci.append(locus_index)
                self.unit_fives.append(self._group(found, FIVE, recombination.five))
                self.unit_threes.append(self._group(found, THREE, recombination.three))
        self.class_count: int = 2 * len(self.groups)
        table = bytearray(TABLE_SIZE)
        # class sets: value -> classes; values 0..class_count are the empty set and singletons,
        # then AMBIGUOUS (no class)
        self.class_sets: list[tuple[int, ...]] = [()] + [
            (value,) for value in range(1, self.class_count + 1)
        ]
        self.ambiguous = len(self.class_sets)
        self.class_sets.append(())
        self._set_values: dict[tuple[int, ...], int] = {}
        self.kmers_per_class: list[int] = [0] * (self.class_count + 1)
        for group, genes in enumerate(self.groups):
            forward: set[int] = set()
            reverse: set[int] = set()
            for gene in genes:
                forward.update(seed_keys(gene.sequence))
                reverse.update(seed_keys(reverse_complement(gene.sequence)))
            self._add(table, forward, class_id(group, STRAND_FORWARD))
            self._add(table, reverse, class_id(group, STRAND_REVERSE))
        # immutable bytes: compiled code indexes them several times faster than a bytearray
        self.table: bytes = bytes(table)

    def _group(
        self, found: dict[tuple[int, tuple[str, ...]], int], role: int, genes: tuple[Gene, ...]
    ) -> int:
        """The index of the group of these genes in this role, added when new."""
        key = (role, tuple(gene.name + ":" + gene.sequence for gene in genes))
        group = found.get(key)
        if group is None:
            group = len(self.groups)
            found[key] = group
            self.groups.append(genes)
            self.group_roles.append(role)
        return group

    def _add(self, table: bytearray, keys: set[int], new_class: int) -> None:
        self.kmers_per_class[new_class] = len(keys)
        for key in keys:
            old = table[key]
            table[key] = new_class if old == 0 else self._union(old, new_class)

    def _union(self, old: int, new_class: int) -> int:
        if old == self.ambiguous:
            return old
        classes = tuple(sorted({*self.class_sets[old], new_class}))
        value = self._set_values.get(classes)
        if value is None:
            if len(self.class_sets) > _MAX_VALUE:
                return self.ambiguous  # no value left: evidence for none
            value = len(self.class_sets)
            self.class_sets.append(classes)
            self._set_values[classes] = value
        return value

    def scan(self, encoded: bytes, counts: list[int]) -> list[int]:
        """Hits of an encoded read (see `ENCODING`) as `position << 8 | table value`.

        The position is the start of the k-mer in the read; `counts` (a zero per table value)
        receives the number of hits per table value. Indexing (not iterating) the bytes and
        literal masks keep this loop on native integers once compiled.
        """
        table = self.table
        hits: list[int] = []
        code = 0
        valid = 0
        for index in range(len(encoded)):
            value = encoded[index]
            if value > 3:
                valid = 0
                code = 0
                continue
            code = ((code << 2) | value) & 0x3FFFFFF  # 13 nucleotides
            valid += 1
            if valid >= 13:
                found = table[((code >> 14) << 12) | (code & 0xFFF)]
                if found:
                    hits.append(((index - 12) << 8) | found)
                    counts[found] += 1
        return hits

    def count(self, encoded: bytes, counts: list[int], first: list[int], last: list[int]) -> None:
        """Like `scan`, without the list of hits: per table value, the hits and the first and
        last k-mer positions (`first` and `last` start at -1). Enough for most reads, and it
        allocates nothing per hit.

        A read's hits come in long runs of one value (its V part, then its J part): a run is
        counted in local variables and written to the lists once, when another value starts."""
        table = self.table
        code = 0
        valid = 0
        run_value = 0  # the table value of the current run of hits (0: none yet)
        run_hits = 0
        run_first = 0
        run_last = 0
        for index in range(len(encoded)):
            value = encoded[index]
            if value > 3:
                valid = 0
                code = 0
                continue
            code = ((code << 2) | value) & 0x3FFFFFF  # 13 nucleotides
            valid += 1
            if valid >= 13:
                found = table[((code >> 14) << 12) | (code & 0xFFF)]
                if found == 0:
                    continue
                if found == run_value:
                    run_hits += 1
                    run_last = index - 12
                    continue
                if run_value:
                    _add_run(counts, first, last, run_value, run_hits, run_first, run_last)
                run_value = found
                run_hits = 1
                run_first = run_last = index - 12
        if run_value:
            _add_run(counts, first, last, run_value, run_hits, run_first, run_last)

    def class_counts(self, value_counts: list[int]) -> list[int]:
        """Hits per class from hits per table value (a class set counts for each member)."""
        counts = value_counts[: self.class_count + 1]
        for value in range(self.class_count + 1, len(self.class_sets)):
            found = value_counts[value]
            if found:
                for member in self.class_sets[value]:
                    counts[member] += found
        return counts


def _add_run(
    counts: list[int],
    first: list[int],
    last: list[int],
    value: int,
    hits: int,
    start: int,
    end: int,
) -> None:
    """Adds a run of `hits` hits of table `value`, from k-mer position `start` to `end`."""
    counts[value] += hits
    if first[value] < 0:
        first[value] = start
    last[value] = end
