"""Unexpected recombinations (Vidjil's `-2`, system `xxx`): a read whose 5' hits and 3' hits
are significant for two gene groups that no recombination of the set pairs, typically a V of
one locus and a J of another (trans-locus recombinations, PCR chimeras).

Looked for in reads that no declared recombination explains, and in those that an undeclared
pair explains with more k-mers that the declared one does not share (an IGKV-IGLJ read also
fits IGK through the FGGGTK motif IGKJ and IGLJ share). Every undeclared (5', 3')
pair on each strand counts as a test in the e-values, and each side needs `MIN_HITS` k-mers: a
small group (the four TRDJ genes) is significant with one hit, and a read of a lone V gene (an
unrearranged one, or a V-J read whose J part is too short for its own locus) would otherwise
pair with any chance hit of such a group.
"""

from __future__ import annotations

from vidjil_local.core._evalues import fewest_significant
from vidjil_local.core.kmers import FIVE, THREE, KmerIndex, class_id

MIN_HITS = 5  # k-mers of each side: 17 nt, where a J part of a read has 20 or more


class UnexpectedPairs:
    """The undeclared (5' group, 3' group) pairs of a `KmerIndex`, and the best one of a read."""

    def __init__(self, index: KmerIndex, hit_probability: list[float], max_evalue: float) -> None:
        roles = index.group_roles
        self.five_groups = [group for group in range(len(roles)) if roles[group] == FIVE]
        self.three_groups = [group for group in range(len(roles)) if roles[group] == THREE]
        declared = set(zip(index.unit_fives, index.unit_threes, strict=True))
        self.undeclared = {
            (five, three)
            for five in self.five_groups
            for three in self.three_groups
            if (five, three) not in declared
        }
        self.tests = float(max(1, 2 * len(self.undeclared)))
        self.class_sets = index.class_sets
        self.hit_probability = hit_probability
        self.max_evalue = max_evalue
        self._thresholds: dict[int, int] = {}

    def choose(
        self,
        counts: list[int],
        value_counts: list[int],
        positions: int,
        declared: tuple[int, int] | None,
    ) -> tuple[int, int] | None:
        """(5' class, 3' class) of the unexpected recombination the read is, or None: the best
        undeclared pair, when no recombination was `declared` for the read, or when it has
        `MIN_HITS` more hits than the declared one (5' and 3' classes) counting only the k-mers
        each does not share with the other (one k-mer of another TRAV gene does not make a
        TRAV/DV-Dδ-Jδ read a TRAV-TRDJ one)."""
        floor = -1 if declared is None else counts[declared[0]] + counts[declared[1]]
        found = self.best(counts, positions, floor)
        if found is None or declared is None:
            return found
        if self._specific(value_counts, found, declared) >= MIN_HITS + self._specific(
            value_counts, declared, found
        ):
            return found
        return None

    def _specific(
        self, value_counts: list[int], classes: tuple[int, int], others: tuple[int, int]
    ) -> int:
        """Hits of `classes` in k-mers that are of neither of the `others`."""
        total = 0
        for value in range(1, len(self.class_sets)):
            hits = value_counts[value]
            if hits == 0:
                continue
            members = self.class_sets[value]
            if (classes[0] in members or classes[1] in members) and not (
                others[0] in members or others[1] in members
            ):
                total += hits
        return total

    def best(self, counts: list[int], positions: int, floor: int) -> tuple[int, int] | None:
        """(5' class, 3' class) of the undeclared pair with significant hits on both sides and
        the most hits, more than `floor`, on either strand; None when there is none."""
        best_score = floor
        best: tuple[int, int] | None = None
        for strand in (0, 1):
            fives = [
                class_id(group, strand)
                for group in self.five_groups
                if self._significant(class_id(group, strand), counts, positions)
            ]
            if not fives:
                continue
            for three in self.three_groups:
                three_class = class_id(three, strand)
                if not self._significant(three_class, counts, positions):
                    continue
                for five_class in fives:
                    if ((five_class - 1) >> 1, three) not in self.undeclared:
                        continue
                    score = counts[five_class] + counts[three_class]
                    if score > best_score:
                        best_score, best = score, (five_class, three_class)
        return best

    def _significant(self, class_id: int, counts: list[int], positions: int) -> bool:
        hits = counts[class_id]
        if hits < MIN_HITS:
            return False
        key = (positions << 8) | class_id
        threshold = self._thresholds.get(key)
        if threshold is None:
            probability = self.hit_probability[class_id]
            threshold = fewest_significant(probability, positions, self.tests, self.max_evalue)
            self._thresholds[key] = threshold
        return hits >= threshold
