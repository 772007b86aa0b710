"""The clone sequence: the supporting reads kept per window, and the consensus they make."""

from __future__ import annotations

import pickle
import random

import pytest

from tests.unit.core.conftest import rearrangement, substitute
from vidjil_local.core.consensus import consensus
from vidjil_local.core.detection import Detector
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.kmers import KmerIndex
from vidjil_local.core.windows import SUPPORT_FROM, SUPPORTERS, ChunkResult, detect_chunk


def clone_reads(germline: GermlineSet, count: int) -> list[str]:
    """Reads of one clone cut at different lengths at their 5' end, in a shuffled order."""
    sequence = rearrangement(germline, 0, 1, 2, "GGATCCTTAGCA")
    reads = [sequence[number * 3 :] for number in range(count)]
    random.Random(count).shuffle(reads)
    return reads


def summed(germline: GermlineSet, sequences: list[str], sizes: list[int]) -> ChunkResult:
    detector = Detector(KmerIndex(germline), window_length=40)
    total = ChunkResult()
    start = 0
    for size in sizes:
        chunk = detect_chunk(detector, sequences[start : start + size])
        total += pickle.loads(pickle.dumps(chunk))
        start += size
    return total


def test_supporters_are_the_longest_reads_after_the_representative(
    germline: GermlineSet,
) -> None:
    sequences = clone_reads(germline, 9)
    by_length = sorted(sequences, key=len, reverse=True)
    # true whenever the window has SUPPORT_FROM reads by the end of its first chunk
    for sizes in ([9], [5, 4], [6, 1, 2]):
        total = summed(germline, sequences, sizes)
        [(window, stats)] = total.windows.items()
        assert stats.count == 9 and stats.representative == by_length[0]
        kept = sorted((read for read, _ in total.supporters[window]), key=len, reverse=True)
        assert kept == by_length[1 : 1 + SUPPORTERS], sizes
        assert all(read[at:].startswith(window) for read, at in total.supporters[window])
        assert total.runners_up == {}


@pytest.mark.parametrize("sizes", [[1] * 9, [4, 4, 1], [3, 6], [2, 7]])
def test_supporters_are_other_reads_of_the_window_whatever_the_chunking(
    germline: GermlineSet, sizes: list[int]
) -> None:
    sequences = clone_reads(germline, 9)
    total = summed(germline, sequences, sizes)
    [(window, stats)] = total.windows.items()
    kept = [read for read, _ in total.supporters[window]]
    assert len(kept) == SUPPORTERS and len(set(kept)) == SUPPORTERS
    assert set(kept) <= set(sequences) - {stats.representative}
    assert summed(germline, sequences, sizes).supporters == total.supporters


def test_windows_with_few_reads_keep_no_supporters(germline: GermlineSet) -> None:
    total = summed(germline, clone_reads(germline, SUPPORT_FROM - 1), [SUPPORT_FROM - 1])
    assert total.supporters == {}


def _clone(length: int = 200) -> str:
    rng = random.Random(3)
    return "".join(rng.choice("ACGT") for _ in range(length))


def test_two_agreeing_supporters_correct_an_error_of_the_representative() -> None:
    truth = _clone()
    representative = substitute(substitute(truth, 20), 150)  # two sequencing errors
    supporters = [(truth[10:], 90), (truth[5:190], 95)]  # window at 100 in the clone
    assert consensus(representative, 100, supporters) == truth


def test_one_disagreeing_supporter_is_not_enough() -> None:
    truth = _clone()
    representative = substitute(truth, 20)
    # the second supporter does not reach position 20: one vote against the representative's
    supporters = [(truth[10:], 90), (truth[30:], 70)]
    assert consensus(representative, 100, supporters) == representative


def test_a_difference_shared_by_the_reads_stays() -> None:
    """A somatic mutation of the clone is in every read: nothing to correct."""
    clone = substitute(_clone(), 60)
    assert consensus(clone, 100, [(clone[10:], 90), (clone[20:], 80)]) == clone


def test_a_shifted_supporter_does_not_vote() -> None:
    """A supporter with an indel before the window disagrees everywhere past it: ignored."""
    truth = _clone()
    representative = substitute(truth, 20)
    shifted = truth[:40] + truth[41:]  # one deleted nt: positions 0-39 agree, the rest is off
    supporters = [(truth, 100), (shifted[0:60] + truth[61:], 100)]
    assert consensus(representative, 100, supporters) == representative


def test_n_of_the_representative_is_filled_by_one_supporter() -> None:
    truth = _clone()
    representative = truth[:50] + "N" + truth[51:]
    assert consensus(representative, 100, [(truth[40:], 60)]) == truth


def test_more_supporters_vote_by_majority() -> None:
    """Supporters from several samples: the representative's base stays on a tie."""
    truth = _clone()
    representative = substitute(truth, 20)
    wrong = (representative[10:], 90)
    right = (truth[10:], 90)
    assert consensus(representative, 100, [right, right, wrong, wrong]) == representative
    assert consensus(representative, 100, [right, right, right, wrong]) == truth
