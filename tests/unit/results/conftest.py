"""Shared by the results tests: a small designated analysis built from germline genes."""

from __future__ import annotations

import pytest

from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.result import AnalysisResult, CloneResult, CloneWarning, SampleResult
from vidjil_local.germline import load_germline

NOISE = "ACGTTGCAAGCTTCGATCGGATCCTAGGCTAGCATCGATCGTAGCTAGCTAGGATCCGATC"


def trimmed(germline_set: GermlineSet, name: str, deleted_5: int, deleted_3: int) -> str:
    for locus in germline_set.loci:
        for gene in locus.v_genes + locus.d_genes + locus.j_genes:
            if gene.name == name:
                return gene.sequence[deleted_5 : len(gene.sequence) - deleted_3]
    raise KeyError(name)


def rearrangements(germline_set: GermlineSet) -> tuple[str, str]:
    """Productive IGHV3-23/IGHD3-10/IGHJ6 and TRGV9/TRGJ1 rearrangements (see test_designation)."""
    igh = (
        trimmed(germline_set, "IGHV3-23*01", 0, 2)
        + "CTC"
        + trimmed(germline_set, "IGHD3-10*01", 4, 4)
        + "CACG"
        + trimmed(germline_set, "IGHJ6*02", 8, 0)
    )
    trg = (
        trimmed(germline_set, "TRGV9*01", 200, 3) + "CCGT" + trimmed(germline_set, "TRGJ1*01", 2, 0)
    )
    return igh, trg


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    germline_set = load_germline("human:IGH,TRG").germline_set
    designer = Designer(germline_set)
    igh, trg = rearrangements(germline_set)
    samples = [
        SampleResult(
            original_name="diag.fastq.gz",
            total_reads=1000,
            segmented_reads=900,
            reads_per_locus={"IGH": 600, "TRG": 300},
            unsegmented={"too_short": 60, "only_v": 40},
            producer="vidjil-local 0.1",
            command_line="vidjil-local analyze diag.fastq.gz",
            timestamp="2026-01-01 10:00:00",
        ),
        SampleResult(original_name="mrd.fastq.gz", total_reads=2000, segmented_reads=1500),
    ]
    clones = []
    for top, (locus, sequence, reads) in enumerate(
        [("IGH", igh, [500, 3]), ("TRG", trg, [250, 0]), ("IGH", NOISE, [7, 1])], start=1
    ):
        clone = CloneResult(
            clone_id=sequence[len(sequence) // 2 - 25 : len(sequence) // 2 + 25],
            locus=locus,
            reads=reads,
            sequence=sequence,
            top=top,
            window_start=len(sequence) // 2 - 25,
            average_read_length=[150.0, 149.5],
            designation=designer.designate(sequence, locus),
        )
        clones.append(clone)
    clones[0].warnings.append(CloneWarning("W50", "short window", "info"))
    return AnalysisResult(samples, clones, producer="vidjil-local 0.1", timestamp="2026-01-01")


@pytest.fixture(scope="module")
def trd_vddj() -> tuple[GermlineSet, str]:
    """TRDV2*01 2/AG/1 TRDD2*01 1/GAT/2 TRDD3*01 2/TTG/3 TRDJ1*01 (see test_designation)."""
    germline_set = load_germline("human:TRD").germline_set
    sequence = (
        trimmed(germline_set, "TRDV2*01", 0, 2)
        + "AG"
        + trimmed(germline_set, "TRDD2*01", 1, 1)
        + "GAT"
        + trimmed(germline_set, "TRDD3*01", 2, 2)
        + "TTG"
        + trimmed(germline_set, "TRDJ1*01", 3, 0)
    )
    return germline_set, sequence
