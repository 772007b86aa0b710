"""Unexpected recombinations (Vidjil's `-2`, system `xxx`): a read whose 5' hits and 3' hits
are significant for two gene groups that no recombination of the set pairs, typically a V of
one locus and a J of another (trans-locus recombinations, PCR chimeras).

Looked for only in reads that no declared recombination explains. Every undeclared (5', 3')
pair on each strand counts as a test in the e-values, so the many pairs do not make chance
hits in noise reads significant.
"""

from __future__ import annotations

from vidjil_local.core._evalues import fewest_significant
from vidjil_local.core.kmers import FIVE, THREE, KmerIndex, class_id


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
        self.hit_probability = hit_probability
        self.max_evalue = max_evalue
        self._thresholds: dict[int, int] = {}

    def best(self, counts: list[int], positions: int) -> tuple[int, int] | None:
        """(5' class, 3' class) of the undeclared pair with significant hits on both sides and
        the most hits, on either strand; None when there is none."""
        best_score = 0
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
        if hits <= 0:
            return False
        key = (positions << 8) | class_id
        threshold = self._thresholds.get(key)
        if threshold is None:
            probability = self.hit_probability[class_id]
            threshold = fewest_significant(probability, positions, self.tests, self.max_evalue)
            self._thresholds[key] = threshold
        return hits >= threshold
