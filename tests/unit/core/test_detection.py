from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from tests.unit.core.conftest import random_dna, rearrangement
from vidjil_local.core.detection import Detector, Reason, best_split, poisson_tail
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.kmers import KmerIndex, reverse_complement

JUNCTION = "GCGAGAGATCGGTTTGTAGTGG"


@pytest.fixture(scope="module")
def detector(germline: GermlineSet) -> Detector:
    return Detector(KmerIndex(germline), window_length=40)


def test_rearrangement_is_segmented_with_a_window_around_the_junction(
    detector: Detector, germline: GermlineSet
) -> None:
    read = rearrangement(germline, 0, 1, 2, JUNCTION)
    detection = detector.detect(read)
    assert detection.reason == Reason.SEGMENTED
    assert detector.index.locus_names[detection.locus] == "IGH"
    assert not detection.reverse
    assert JUNCTION in detection.window
    assert len(detection.window) == 40
    assert detection.v_end <= 120 + 2  # a random N may extend V by a nucleotide or two
    assert detection.j_start >= 120 + len(JUNCTION) - 2
    assert detection.v_hits > 60 and detection.j_hits > 20
    assert detector.detection_evalue(detection) < 1e-6


def test_reverse_complement_gives_the_same_window(
    detector: Detector, germline: GermlineSet
) -> None:
    read = rearrangement(germline, 1, 0, 1, JUNCTION)
    forward = detector.detect(read)
    reverse = detector.detect(reverse_complement(read))
    assert reverse.reason == Reason.SEGMENTED and reverse.reverse
    assert reverse.window == forward.window
    assert reverse.sequence == read


@pytest.mark.parametrize(
    ("make_read", "reason"),
    [
        (lambda germline: "ACGTACGT", Reason.TOO_SHORT),
        (lambda germline: random_dna(random.Random(3), 250), Reason.TOO_FEW_KMERS),
        (lambda germline: germline.loci[0].v_genes[0].sequence[-150:], Reason.ONLY_V),
        (
            lambda germline: (
                random_dna(random.Random(4), 80) + germline.loci[0].j_genes[0].sequence
            ),
            Reason.ONLY_J,
        ),
    ],
    ids=["too_short", "random", "only_v", "only_j"],
)
def test_unsegmented_reasons(
    detector: Detector,
    germline: GermlineSet,
    make_read: Callable[[GermlineSet], str],
    reason: Reason,
) -> None:
    assert detector.detect(make_read(germline)).reason == reason


def test_both_strands_is_ambiguous(detector: Detector, germline: GermlineSet) -> None:
    read = rearrangement(germline, 0, 0, 0, JUNCTION)
    assert detector.detect(read + reverse_complement(read)).reason == Reason.AMBIGUOUS_STRAND


def test_window_longer_than_the_read(germline: GermlineSet) -> None:
    detector = Detector(KmerIndex(germline), window_length=400)
    read = rearrangement(germline, 0, 0, 0, JUNCTION)
    assert detector.detect(read).reason == Reason.TOO_SHORT_FOR_WINDOW


def test_window_near_the_read_end_is_shifted_inside(germline: GermlineSet) -> None:
    detector = Detector(KmerIndex(germline), window_length=70)
    read = rearrangement(germline, 0, 0, 0, JUNCTION)[100:]  # 20 nt of V left
    detection = detector.detect(read)
    assert detection.reason == Reason.SEGMENTED
    assert detection.shifted and detection.window_start == 0


def test_n_bases_do_not_prevent_detection(detector: Detector, germline: GermlineSet) -> None:
    read = list(rearrangement(germline, 0, 2, 1, JUNCTION))
    for position in (10, 60, 130, 160):
        read[position] = "N"
    assert detector.detect("".join(read)).reason == Reason.SEGMENTED


def test_poisson_tail() -> None:
    assert poisson_tail(0.5, 0) == 1.0
    assert poisson_tail(2.0, 1) == 1.0  # below the mean: never significant
    assert poisson_tail(0.5, 1) == pytest.approx(1 - 2.718281828**-0.5, rel=1e-4)
    assert poisson_tail(0.5, 10) < 1e-9


def test_best_split_puts_v_before_j() -> None:
    assert best_split([1, 2, 3, 40], [30, 31, 32]) == 30
    assert best_split([1, 2, 3], [10, 11, 12]) == 10


def test_reason_labels_are_the_enum_names() -> None:
    assert Reason.ONLY_V.label == "only_v"
    assert [reason.value for reason in Reason] == list(range(len(Reason)))
