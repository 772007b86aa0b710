"""E-values of k-mer hits: how likely so many hits of a class are in a random read."""

from __future__ import annotations

import math


def poisson_tail(expected: float, observed: int) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if observed <= expected:
        return 1.0  # at least about one half: never significant
    term = math.exp(-expected + observed * math.log(expected) - math.lgamma(observed + 1))
    total = term
    index = observed
    while term > total * 1e-6:
        index += 1
        term *= expected / index
        total += term
    return min(total, 1.0)


def evalue(probability: float, hits: int, positions: int, tests: float) -> float:
    """E-value of `hits` hits of a class hit with `probability` per k-mer, over `tests` tests."""
    return poisson_tail(probability * positions, hits) * tests


def fewest_significant(probability: float, positions: int, tests: float, max_evalue: float) -> int:
    """The fewest hits of such a class, in a read of `positions` k-mers, with an e-value at
    most `max_evalue` (more than `positions` when none is)."""
    hits = 1
    while evalue(probability, hits, positions, tests) > max_evalue and hits <= positions:
        hits += 1
    return hits
