"""V identity (IMGT-like, up to the Cys codon) on constructed sequences and on simulated clones."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from tests.unit.core.conftest import gene
from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.identity import IdentityMeter, measure
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, analyze

DATA = Path(__file__).parents[2] / "data" / "identity"
J_END = "TACTTTGACTACTGGGGCCAGGGAACCCTGGTCACCGTCTCCTCAG"  # IGHJ4*02 after 2 nt deleted


def random_v(seed: int, length: int) -> str:
    """A random V-like germline ending with a Cys codon."""
    rng = random.Random(seed)
    return "".join(rng.choice("ACGT") for _ in range(length)) + "TGT"


def mutate(sequence: str, positions: list[int]) -> str:
    bases = list(sequence)
    for position in positions:
        bases[position] = "A" if bases[position] != "A" else "C"
    return "".join(bases)


def test_identity_counts_the_substitutions_up_to_the_cys_codon() -> None:
    germline = random_v(4, 80)
    clone = mutate(germline, [3, 40, 77])
    found = measure(clone, germline, "V*01")
    assert found is not None
    assert (found.compared, found.mismatches, found.gaps) == (83, 3, 0)
    assert found.percent == pytest.approx(100 * 80 / 83)
    assert (found.start, found.end) == (0, 83)


def test_a_sequence_starting_inside_v_or_before_it_compares_what_overlaps() -> None:
    germline = random_v(5, 120)
    inside = measure(mutate(germline, [50])[30:], germline, "V*01")
    assert inside is not None and (inside.compared, inside.mismatches) == (93, 1)
    with_leader = measure("GGGGGGGGGG" + germline, germline, "V*01")
    assert with_leader is not None and with_leader.compared == 123 and with_leader.percent == 100
    assert with_leader.start == 10


def test_an_indel_costs_its_nucleotides_not_a_shifted_tail() -> None:
    germline = random_v(6, 200)
    deleted = germline[:60] + germline[63:]  # a codon lost 143 nt before the Cys codon end
    found = measure(deleted, germline, "V*01")
    assert found is not None and (found.gaps, found.mismatches) == (3, 0)
    assert found.percent == pytest.approx(100 * 200 / 203)
    inserted = germline[:100] + "GGC" + germline[100:]
    found = measure(inserted, germline, "V*01")
    assert found is not None and (found.gaps, found.mismatches, found.compared) == (3, 0, 206)


def test_n_is_not_compared() -> None:
    germline = random_v(7, 40)
    found = measure("N" * 5 + germline[5:], germline, "V*01")
    assert found is not None and found.compared == 38 and found.percent == 100


def test_the_designated_clone_gets_the_identity_of_its_closest_allele(
    germline_set: GermlineSet, designer: Designer
) -> None:
    v = gene(germline_set, "IGHV3-23*01")
    cys_end = v.anchor + 3
    mutated = mutate(v.sequence, list(range(20, 200, 20)))  # 9 substitutions in FR1-FR3
    sequence = mutated[:cys_end] + "GCGAAAGATCGCGGG" + J_END
    designation = designer.designate(sequence, "IGH")
    found = IdentityMeter(germline_set).v_identity(sequence, designation)
    assert found is not None and found.allele.startswith("IGHV3-23")
    assert (found.compared, found.mismatches) == (cys_end, 9)
    assert found.end == designation.junction_start + 3


def test_simulated_clones_get_their_real_identity() -> None:
    """The top clones of a simulated IGH sample with hypermutation: the identity measured on
    the clone sequence the analysis built is the simulated one over the same V region, within
    1 point (sequencing errors left in a consensus), and mutated clones are told apart from
    unmutated ones."""
    loaded = load_germline("human:IGH")
    options = AnalysisOptions(window_length=60, processes=1)
    result = analyze([DATA / "igh-shm.fastq.gz"], loaded.germline_set, options)
    v_genes = {g.name: g for locus in loaded.germline_set.loci for g in locus.v_genes}
    with open(DATA / "igh-shm.truth.tsv", newline="") as handle:
        truth = {row["junction_aa"]: row for row in csv.DictReader(handle, delimiter="\t")}
    checked = 0
    for clone in result.clones[:10]:
        assert clone.designation is not None and clone.v_identity is not None
        row = truth[clone.designation.junction_aa]
        identity = clone.v_identity
        compared = clone.sequence[identity.start : identity.end]
        true_end = int(row["junction_start"]) + 3
        true_region = row["sequence"][true_end - len(compared) : true_end]
        v = v_genes[row["v_call"]]
        germline = v.sequence[: v.anchor + 3][-len(true_region) :]
        same = sum(a == b for a, b in zip(true_region, germline, strict=True))
        assert abs(identity.percent - 100 * same / len(true_region)) <= 1.0, row["clone_id"]
        assert (identity.percent == 100) == (float(row["shm_rate"]) == 0), row["clone_id"]
        checked += 1
    assert checked == 10
