"""Every system a germline preset declares is detected and designated, as Vidjil does: complete
V(D)J, incomplete ("+") recombinations and unexpected ones (`xxx`), on reads made from the genes
with deletions, N regions and errors (`tests/recombinations.py`)."""

from __future__ import annotations

import random

import pytest

from tests.recombinations import ARCHIVE, ARCHIVE_CASES, BUNDLED_CASES, Case, make_read
from tests.unit.core.conftest import random_dna
from vidjil_local.core.designation import Designer
from vidjil_local.core.detection import Detector, Reason
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.kmers import KmerIndex, reverse_complement
from vidjil_local.core.result import Designation, SegmentMatch
from vidjil_local.germline import load_germline

SEEDS = range(4)


@pytest.fixture(scope="module")
def archive() -> GermlineSet:
    return load_germline(str(ARCHIVE)).germline_set


@pytest.fixture(scope="module")
def bundled_tools(germline_set: GermlineSet) -> tuple[Detector, Designer]:
    return Detector(KmerIndex(germline_set), unexpected=True), Designer(germline_set)


@pytest.fixture(scope="module")
def archive_tools(archive: GermlineSet) -> tuple[Detector, Designer]:
    return Detector(KmerIndex(archive), unexpected=True), Designer(archive)


def check(tools: tuple[Detector, Designer], germline_set: GermlineSet, case: Case) -> None:
    detector, designer = tools
    for seed in SEEDS:
        read = make_read(germline_set, case, seed)
        detection = detector.detect(read)
        assert detection.reason == Reason.SEGMENTED, (seed, Reason(detection.reason).label)
        system = detector.names[detection.locus]
        assert system == case.system, seed
        designation = designer.designate(detection.sequence, system)
        assert designation.locus == case.system
        assert _names(designation.v) >= {case.five}, (seed, designation.name)
        assert _names(designation.j) >= {case.three}, (seed, designation.name)
        if case.middle:
            assert designation.d is not None, (seed, designation.name)


def _names(match: SegmentMatch | None) -> set[str]:
    """The gene named, with the genes it ties with."""
    return set() if match is None else {match.name, *match.equal_alleles}


@pytest.mark.parametrize("case", BUNDLED_CASES, ids=[case.label for case in BUNDLED_CASES])
def test_bundled_systems(
    bundled_tools: tuple[Detector, Designer], germline_set: GermlineSet, case: Case
) -> None:
    check(bundled_tools, germline_set, case)


@pytest.mark.parametrize("case", ARCHIVE_CASES, ids=[case.label for case in ARCHIVE_CASES])
def test_archive_systems(
    archive_tools: tuple[Detector, Designer], archive: GermlineSet, case: Case
) -> None:
    check(archive_tools, archive, case)


def test_unexpected_recombinations_only_when_asked(germline_set: GermlineSet) -> None:
    detector = Detector(KmerIndex(germline_set))
    assert "xxx" not in detector.names
    (case,) = [case for case in BUNDLED_CASES if case.system == "xxx"][:1]
    detection = detector.detect(make_read(germline_set, case, 0))
    assert detection.reason in (Reason.ONLY_V, Reason.ONLY_J)


def test_unexpected_on_the_reverse_strand(
    bundled_tools: tuple[Detector, Designer], germline_set: GermlineSet
) -> None:
    detector, _ = bundled_tools
    case = Case("xxx", "TRBV20-1*01", "IGKJ1*01")
    read = make_read(germline_set, case, 1)
    forward = detector.detect(read)
    reverse = detector.detect(reverse_complement(read))
    assert detector.names[reverse.locus] == "xxx" and reverse.reverse
    assert reverse.window == forward.window
    assert detector.detection_evalue(reverse) < 1e-3


def test_vidjil_names_of_incomplete_recombinations(
    bundled_tools: tuple[Detector, Designer], germline_set: GermlineSet
) -> None:
    """The clone name joins the 5' and 3' elements like any V-J: "IGHD3-10*01 3/CCG/2 IGHJ4*02";
    there is no junction when the 5' side has no Cys104 (a D gene)."""
    _, designer = bundled_tools
    read = make_read(germline_set, Case("IGH+", "IGHD3-10*01", "IGHJ4*02"), 2)
    designation: Designation = designer.designate(read, "IGH+")
    assert designation.name.startswith("IGHD3-10*01 ") and designation.name.endswith(" IGHJ4*02")
    assert not designation.has_junction
    read = make_read(germline_set, Case("TRA+D", "TRDV2*01", "TRAJ29*01"), 2)
    designation = designer.designate(read, "TRA+D")
    assert designation.has_junction and designation.junction_aa.startswith("C")


def test_noise_and_lone_genes_are_not_unexpected_recombinations(
    bundled_tools: tuple[Detector, Designer], germline_set: GermlineSet
) -> None:
    """Random reads, and reads of one V or one J gene alone, are never `xxx`: the e-values of
    an unexpected pair count every pair that could have been one."""
    detector, _ = bundled_tools
    rng = random.Random(11)
    reads = ["".join(rng.choice("ACGT") for _ in range(150)) for _ in range(300)]
    for locus in germline_set.loci:
        reads += [gene.sequence[-150:] for gene in locus.v_genes[:3] if len(gene.sequence) > 150]
        reads += [random_dna(rng, 90) + gene.sequence for gene in locus.j_genes[:2]]
    found = [detector.detect(read) for read in reads]
    unexpected = detector.names.index("xxx")
    assert [d for d in found if d.reason == Reason.SEGMENTED and d.locus == unexpected] == []
    assert sum(d.reason == Reason.SEGMENTED for d in found) <= 3  # chance hits, as without -2
