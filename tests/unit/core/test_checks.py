"""Vidjil's warnings on samples and clones: W20, W51, W53, W61."""

from __future__ import annotations

import random

from tests.unit.core.conftest import gene
from vidjil_local.core.checks import add_clone_warnings, coverage, sample_warnings
from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.result import CloneResult, SampleResult


def clone(top: int, reads: int, sequence: str = "A" * 200, length: float = 200.0) -> CloneResult:
    return CloneResult(f"w{top}", "IGH", [reads], sequence, top, average_read_length=[length])


def codes(found: CloneResult) -> list[str]:
    return [warning.code for warning in found.warnings]


def test_w20_when_under_40_percent_of_reads_hold_a_recombination() -> None:
    (warning,) = sample_warnings(SampleResult("s", total_reads=1000, segmented_reads=399))
    assert warning.code == "W20" and "39.90%" in warning.message
    assert sample_warnings(SampleResult("s", total_reads=1000, segmented_reads=400)) == []
    assert sample_warnings(SampleResult("s")) == []  # no read at all: nothing to say


def test_w51_when_reads_cover_little_of_the_clone_sequence() -> None:
    short_reads = clone(1, 10, length=110.0)  # 110 / 200 = 0.55
    long_reads = clone(2, 10, length=130.0)
    add_clone_warnings([short_reads, long_reads])
    assert codes(short_reads) == ["W51"] and "0.550" in short_reads.warnings[0].message
    assert codes(long_reads) == []
    assert coverage(long_reads) == [0.65]


def test_w53_on_clones_designated_like_a_larger_one(
    germline_set: GermlineSet, designer: Designer
) -> None:
    v, j = gene(germline_set, "IGHV3-23*01"), gene(germline_set, "IGHJ4*02")
    sequence = v.sequence + "GGTACC" + j.sequence
    clones = [clone(n, 100 - n, sequence, float(len(sequence))) for n in (1, 2, 12)]
    for each in clones:
        each.designation = designer.designate(sequence, "IGH")
    add_clone_warnings(clones)
    assert [codes(each) for each in clones] == [[], ["W53"], ["W53"]]
    assert [each.warnings[0].level for each in clones[1:]] == ["warn", "info"]


def test_w61_on_the_germline_d7_27_j1_stretch(
    germline_set: GermlineSet, designer: Designer
) -> None:
    v, d = gene(germline_set, "IGHV3-23*01"), gene(germline_set, "IGHD7-27*01")
    j = gene(germline_set, "IGHJ1*01")
    rng = random.Random(8)
    spacer = "".join(rng.choice("ACGT") for _ in range(95))
    genomic = v.sequence + "GG" + d.sequence + spacer + j.sequence
    recombined = v.sequence + "GG" + d.sequence + "TCC" + j.sequence
    found = [clone(1, 50, genomic, 400.0), clone(2, 40, recombined, 400.0)]
    for each in found:
        each.designation = designer.designate(each.sequence, "IGH")
    add_clone_warnings(found)
    assert "W61" in codes(found[0])
    assert "W61" not in codes(found[1])
