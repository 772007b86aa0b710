"""Diversity indices: Vidjil's definitions, checked on its own file and by direct computation."""

from __future__ import annotations

import math

import pytest

from vidjil_local.core.diversity import Diversity, diversity


def test_vidjil_demo_values() -> None:
    """Demo-X5-x100.vidjil (vidjil-algo): 14 windows of 100 reads give these indices."""
    found = diversity([100] * 14)
    assert found.shannon == pytest.approx(2.639057606458664, rel=1e-6)  # float32 in vidjil-algo
    assert found.equitability == pytest.approx(0.364298015832901, rel=1e-6)
    assert found.simpson == pytest.approx(0.9292351603507996, rel=1e-6)
    assert found.pielou == pytest.approx(1.0)
    assert (found.clones, found.reads) == (14, 1400)


def test_indices_by_their_formulas() -> None:
    counts = [50, 30, 15, 4, 1]
    reads = sum(counts)
    shannon = -sum(n / reads * math.log(n / reads) for n in counts)
    found = diversity([*counts, 0])
    assert found.shannon == pytest.approx(shannon)
    assert found.equitability == pytest.approx(shannon / math.log(reads))
    assert found.simpson == pytest.approx(1 - sum(n * (n - 1) for n in counts) / (reads * 99))
    assert found.pielou == pytest.approx(shannon / math.log(5))


@pytest.mark.parametrize("counts", [[], [0], [7], [1]])
def test_one_clone_or_no_read_has_no_diversity(counts: list[int]) -> None:
    found = diversity(counts)
    assert (found.shannon, found.equitability, found.simpson, found.pielou) == (0, 0, 0, 0)
    assert found == Diversity(clones=len([n for n in counts if n]), reads=sum(counts))
