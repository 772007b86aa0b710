"""The clinical measures of an analysis: spike-in normalisation on a simulated follow-up,
diversity against a direct computation on the clone counts, limits of detection."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.repertoire import LEUKEMIC_COPIES, READS_PER_COPY, spiked_follow_up
from vidjil_local.core.genes import GermlineSet
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, analyze
from vidjil_local.results import write_vidjil

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"


@pytest.fixture(scope="module")
def igh() -> GermlineSet:
    return load_germline("human:IGH").germline_set


def test_spike_ins_give_known_copy_numbers_within_10_percent(
    igh: GermlineSet, tmp_path: Path
) -> None:
    spikes, leukemic = spiked_follow_up(igh, tmp_path / "fu.fastq.gz")
    options = AnalysisOptions(processes=1, spikes=tuple(spikes))
    result = analyze([tmp_path / "fu.fastq.gz"], igh, options)
    (sample,) = result.samples
    assert all(spike.sequence.find(c.clone_id) < 0 for c in result.clones for spike in spikes)
    assert set(sample.spike_reads) == {spike.name for spike in spikes}
    for spike in spikes:  # each spike-in's reads, errors absorbed, are its reads
        expected = spike.copies * READS_PER_COPY
        assert sample.spike_reads[spike.name] == pytest.approx(expected, rel=0.15)
    factor = sample.normalization
    assert factor is not None and factor.coefficient == pytest.approx(1 / READS_PER_COPY, rel=0.05)
    (clone,) = [c for c in result.clones if c.clone_id in leukemic]
    assert factor.copies(clone.reads[0]) == pytest.approx(LEUKEMIC_COPIES, rel=0.10)
    assert factor.normalized(clone.reads[0]) == pytest.approx(LEUKEMIC_COPIES / 100_000, rel=0.10)
    limit = sample.limit_of_detection
    assert limit is not None and limit.basis == "one cell"
    assert limit.reads == pytest.approx(1 / factor.coefficient)
    spiked = sum(sample.spike_reads.values())
    assert sample.segmented_reads + spiked + sum(sample.unsegmented.values()) == sample.total_reads
    write_vidjil(result, tmp_path / "fu.vidjil")
    document = json.loads((tmp_path / "fu.vidjil").read_text())
    assert document["mrd"]["UNI_COEFF"] == [factor.coefficient]
    assert document["reads"]["_spikes"] == [spiked]
    top = document["clones"][0]
    assert top["normalized_reads"] == [pytest.approx(factor.normalized(top["reads"][0]))]
    assert document["samples"]["_limit_of_detection"][0]["basis"] == "one cell"


def test_without_spike_ins_the_limit_is_3_reads_or_one_cell_of_dna(
    igh: GermlineSet, tmp_path: Path
) -> None:
    result = analyze([GOLDEN / "igh.fastq"], igh, AnalysisOptions(processes=1))
    (sample,) = result.samples
    assert sample.normalization is None and sample.spike_reads == {}
    assert sample.limit_of_detection is not None
    assert (sample.limit_of_detection.reads, sample.limit_of_detection.basis) == (3.0, "3 reads")
    few_cells = AnalysisOptions(processes=1, dna_cells=20)  # 300 reads from 20 cells
    (sample,) = analyze([GOLDEN / "igh.fastq"], igh, few_cells).samples
    assert sample.limit_of_detection is not None
    assert sample.limit_of_detection.reads == pytest.approx(sample.segmented_reads / 20)


def direct(counts: list[int]) -> tuple[float, float, float]:
    reads = sum(counts)
    shannon = -sum(n / reads * math.log(n / reads) for n in counts)
    simpson = 1 - sum(n * (n - 1) for n in counts) / (reads * (reads - 1))
    return shannon, shannon / math.log(reads), simpson


def test_diversity_matches_a_direct_computation_on_the_clone_counts(tmp_path: Path) -> None:
    germline_set = load_germline("human").germline_set
    inputs = [GOLDEN / "mixed.fastq", GOLDEN / "igh.fastq"]
    options = AnalysisOptions(processes=1, min_reads=1)  # every clone in the file
    write_vidjil(analyze(inputs, germline_set, options), tmp_path / "out.vidjil")
    document = json.loads((tmp_path / "out.vidjil").read_text())
    diversity = document["diversity"]
    for sample in range(2):
        counts = [c["reads"][sample] for c in document["clones"] if c["reads"][sample]]
        expected = direct(counts)
        keys = ("index_H_entropy", "index_E_equitability", "index_Ds_diversity")
        assert [diversity[key][sample] for key in keys] == pytest.approx(expected)
        assert diversity["_clones"][sample] == len(counts)
        for locus, block in diversity["_per_locus"].items():
            in_locus = [
                c["reads"][sample]
                for c in document["clones"]
                if c["germline"] == locus and c["reads"][sample]
            ]
            if len(in_locus) > 1:
                assert block["index_H_entropy"][sample] == pytest.approx(direct(in_locus)[0])
    assert set(diversity["_per_locus"]) >= {"IGH", "TRG", "TRD"}
