from __future__ import annotations

import pickle
import random

from tests.unit.core.conftest import random_dna, rearrangement
from vidjil_local.core.detection import Detector
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.kmers import KmerIndex, reverse_complement
from vidjil_local.core.windows import ChunkResult, detect_chunk


def reads(germline: GermlineSet) -> list[str]:
    rng = random.Random(5)
    first = rearrangement(germline, 0, 0, 1, "GATTACAGATTACAGGG")
    second = rearrangement(germline, 1, 2, 0, "CCCTTTAAAGGG")
    return [
        first,
        reverse_complement(first),
        first[5:],  # shorter: not the representative
        second,
        "ACGT",
        random_dna(rng, 200),
        "A" + second,  # longer: becomes the representative
    ]


def summary(result: ChunkResult) -> tuple[object, ...]:
    windows = sorted(
        (window, stats.locus, stats.count, stats.length_sum, stats.representative, stats.shifted)
        for window, stats in result.windows.items()
    )
    statistics = result.statistics
    return (
        statistics.total,
        statistics.reasons,
        statistics.segmented_per_locus,
        statistics.length_per_locus,
        windows,
    )


def test_chunks_sum_to_the_whole(germline: GermlineSet) -> None:
    detector = Detector(KmerIndex(germline), window_length=40)
    sequences = reads(germline)
    whole = detect_chunk(detector, sequences)
    summed = ChunkResult()
    for start in range(0, len(sequences), 3):
        summed += detect_chunk(detector, sequences[start : start + 3])
    assert summary(summed) == summary(whole)
    assert whole.statistics.total == 7
    assert whole.statistics.segmented == 5
    assert whole.statistics.segmented_per_locus == {"IGH": 3, "TRG": 2}
    assert whole.statistics.unsegmented() == {"too_short": 1, "too_few_kmers": 1}
    counts = sorted(stats.count for stats in whole.windows.values())
    assert counts == [2, 3]
    trg = next(stats for stats in whole.windows.values() if stats.locus == "TRG")
    assert trg.representative == "A" + sequences[3]
    assert trg.representative[trg.window_start :].startswith(
        next(window for window, stats in whole.windows.items() if stats is trg)
    )


def test_results_survive_pickling(germline: GermlineSet) -> None:
    detector = Detector(KmerIndex(germline), window_length=40)
    result = detect_chunk(detector, reads(germline))
    assert summary(pickle.loads(pickle.dumps(result))) == summary(result)
