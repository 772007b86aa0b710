from __future__ import annotations

from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.kmers import (
    ENCODING,
    SEED_SPAN,
    KmerIndex,
    class_id,
    reverse_complement,
    seed_keys,
)


def test_seed_ignores_the_middle_nucleotide() -> None:
    first = "ACGTACGATCGTA"
    second = first[:6] + "G" + first[7:]
    assert len(first) == SEED_SPAN
    assert seed_keys(first) == seed_keys(second)
    assert seed_keys(first) != seed_keys("T" + first[1:])


def test_seed_keys_skip_k_mers_with_n() -> None:
    sequence = "ACGTACGATCGTAGGT"
    assert len(seed_keys(sequence)) == len(sequence) - SEED_SPAN + 1
    assert len(seed_keys(sequence[:8] + "N" + sequence[9:])) == 0
    assert seed_keys("ACGT") == []


def test_reverse_complement() -> None:
    assert reverse_complement("AACGTN") == "NACGTT"


def test_scan_finds_gene_k_mers_on_both_strands(germline: GermlineSet) -> None:
    index = KmerIndex(germline)
    gene = germline.loci[1].j_genes[2].sequence
    forward = index.scan(gene.encode().translate(ENCODING), [0] * 256)
    reverse = index.scan(reverse_complement(gene).encode().translate(ENCODING), [0] * 256)
    assert [hit >> 8 for hit in forward] == list(range(len(gene) - SEED_SPAN + 1))
    assert {hit & 0xFF for hit in forward} == {class_id(1, 1, 0)}
    assert {hit & 0xFF for hit in reverse} == {class_id(1, 1, 1)}


def test_shared_k_mers_get_a_class_set(germline: GermlineSet) -> None:
    shared = germline.loci[0].v_genes[0]
    twin = GermlineSet("twin", (germline.loci[0], germline.loci[0]))
    index = KmerIndex(twin)
    hits = index.scan(shared.sequence.encode().translate(ENCODING), [0] * 256)
    values = {hit & 0xFF for hit in hits}
    assert len(values) == 1
    (value,) = values
    assert index.class_sets[value] == (class_id(0, 0, 0), class_id(1, 0, 0))
