from __future__ import annotations

from dataclasses import replace

from vidjil_local.core.genes import GermlineSet, Locus, Recombination
from vidjil_local.core.kmers import (
    ENCODING,
    SEED_SPAN,
    THREE,
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
    trgj = index.unit_threes[1]  # groups: IGHV, IGHJ, TRGV, TRGJ
    assert trgj == 3 and index.group_roles[trgj] == THREE
    assert {hit & 0xFF for hit in forward} == {class_id(trgj, 0)}
    assert {hit & 0xFF for hit in reverse} == {class_id(trgj, 1)}


def test_shared_k_mers_get_a_class_set(germline: GermlineSet) -> None:
    igh, trg = germline.loci
    shared = igh.v_genes[0]
    # a second system whose 5' genes hold one of the first one's (TRAV/DV genes in TRDV)
    other = replace(trg, name="TRG+", v_genes=(*trg.v_genes, shared))
    index = KmerIndex(GermlineSet("shared", (igh, other)))
    hits = index.scan(shared.sequence.encode().translate(ENCODING), [0] * 256)
    values = {hit & 0xFF for hit in hits}
    assert len(values) == 1
    (value,) = values
    assert index.class_sets[value] == (class_id(0, 0), class_id(2, 0))


def test_a_gene_list_several_recombinations_share_is_one_group(germline: GermlineSet) -> None:
    igh, trg = germline.loci
    # TRA+D-like: the 5' genes of one system with the 3' genes of another, twice
    mixed = Locus(
        "IGH+",
        igh.v_genes,
        trg.j_genes,
        recombinations=(
            Recombination(igh.v_genes, trg.j_genes),
            Recombination(trg.v_genes, igh.j_genes),
        ),
    )
    index = KmerIndex(GermlineSet("mixed", (igh, trg, mixed)))
    assert len(index.groups) == 4
    assert index.unit_loci == [0, 1, 2, 2]
    assert index.unit_fives == [0, 2, 0, 2]
    assert index.unit_threes == [1, 3, 3, 1]
