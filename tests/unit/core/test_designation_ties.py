"""Equal designations: which gene wins a tie, and that the others are still reported (W69)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.unit.core.conftest import gene
from vidjil_local.core._design_hits import Hit, most_likely, tie_ranks
from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import Gene, GermlineSet


def test_tie_ranks_put_partial_germlines_last() -> None:
    # the second is inside the fourth; the first and third are identical (file order kept)
    sequences = ["ACGTACGT", "CGTTGCA", "ACGTACGT", "GGCGTTGCAT", "TTTT"]
    assert tie_ranks(sequences) == [0, 4, 1, 2, 3]


@pytest.mark.parametrize(
    ("deleted_5", "named"),
    [(3, "TRGJ1*02"), (4, "TRGJ1*02"), (6, "TRGJ1*02"), (8, "TRGJ1*02"), (12, "TRGJ1*02")],
)
def test_equal_trgj_genes_follow_usage_and_deletion_priors(
    designer: Designer, germline_set: GermlineSet, deleted_5: int, named: str
) -> None:
    """TRGJ1*02 is TRGJ2*01 without its first 3 nt: once those are deleted the read cannot
    tell them apart. Real TRG repertoires use TRGJ1 far more than TRGJ2 (the published usage
    of `scripts/germline_priors.py`; the curated answer on real reads), and fewer nt deleted
    from TRGJ1*02 is likelier too: TRGJ1*02 at every deletion. The other is listed, W69."""
    v = gene(germline_set, "TRGV9*01")  # ...TGTGCCTTGTGGGAG|GTG
    j = gene(germline_set, "TRGJ2*01")  # GAA|TTATTATAAGAAACTCTTTGGC...
    assert gene(germline_set, "TRGJ1*02").sequence == j.sequence[3:]
    sequence = v.sequence[:-3] + "CCG" + j.sequence[deleted_5:]
    designation = designer.designate(sequence, "TRG")
    assert designation.j is not None and designation.j.name == named
    other = "TRGJ1*02" if named == "TRGJ2*01" else "TRGJ2*01"
    assert other in designation.j.equal_alleles
    assert designation.j.deleted_5 == deleted_5 - (3 if named == "TRGJ1*02" else 0)
    assert [warning.code for warning in designation.warnings] == ["W69"]
    assert other in designation.warnings[0].message
    assert designation.junction_end == designation.j.start + j.anchor - deleted_5 + 3


def test_without_priors_the_complete_germline_wins(germline_set: GermlineSet) -> None:
    v = gene(germline_set, "TRGV9*01")
    j = gene(germline_set, "TRGJ2*01")
    designation = Designer(_priorless(germline_set)).designate(
        v.sequence[:-3] + "CCG" + j.sequence[9:], "TRG"
    )
    assert designation.j is not None and designation.j.name == "TRGJ2*01"
    assert "TRGJ1*02" in designation.j.equal_alleles


def test_partial_germline_wins_on_a_better_score(
    designer: Designer, germline_set: GermlineSet
) -> None:
    """TRGJ1*02 differs from TRGJ1*01 at one position: a read with its base is TRGJ1*02,
    partial or not (TRGJ2*01 has the same base, so it ties and is listed)."""
    v = gene(germline_set, "TRGV9*01")
    j = gene(germline_set, "TRGJ1*02")
    sequence = v.sequence[:-3] + "CCG" + j.sequence
    designation = designer.designate(sequence, "TRG")
    assert designation.j is not None
    assert designation.j.name in ("TRGJ1*02", "TRGJ2*01")
    assert "TRGJ1*01" not in (designation.j.name, *designation.j.equal_alleles)


def test_distinct_5prime_end_decides(designer: Designer, germline_set: GermlineSet) -> None:
    """With the 3 nt that only TRGJ2*01 has, TRGJ2*01 wins outright."""
    v = gene(germline_set, "TRGV9*01")
    j = gene(germline_set, "TRGJ2*01")
    sequence = v.sequence[:-3] + "CCT" + j.sequence
    designation = designer.designate(sequence, "TRG")
    assert designation.j is not None and designation.j.name == "TRGJ2*01"
    assert designation.j.deleted_5 == 0


def test_identical_genes_keep_germline_order_and_w69(
    designer: Designer, germline_set: GermlineSet
) -> None:
    """TRBV6-2*01 and TRBV6-3*01 are the same sequence: nothing in a read separates them."""
    v = gene(germline_set, "TRBV6-2*01")
    assert gene(germline_set, "TRBV6-3*01").sequence == v.sequence
    j = gene(germline_set, "TRBJ2-7*01")
    sequence = v.sequence[:-2] + "GGGAC" + j.sequence[4:]
    designation = designer.designate(sequence, "TRB")
    assert designation.v is not None and designation.v.name == "TRBV6-2*01"
    assert "TRBV6-3*01" in designation.v.equal_alleles
    assert any(w.code == "W69" and "TRBV6-3*01" in w.message for w in designation.warnings)


def _priorless(germline_set: GermlineSet) -> GermlineSet:
    """The same genes without usage and deletion priors (a set that has no priors.tsv)."""

    def strip(genes: tuple[Gene, ...]) -> tuple[Gene, ...]:
        return tuple(replace(gene, usage=0.0, deletions=()) for gene in genes)

    loci = tuple(
        replace(locus, v_genes=strip(locus.v_genes), j_genes=strip(locus.j_genes))
        for locus in germline_set.loci
    )
    return replace(germline_set, loci=loci)


def _hit(name: str, score: int, usage: float, deleted: int, deletions: float) -> Hit:
    """A J hit starting `deleted` nt into its gene, with a deletion prior of `deletions` there."""
    spread = tuple(deletions if n == deleted else 0.0 for n in range(deleted + 1))
    j = Gene(name, "J", "ACGT" * 10, 20, usage=usage, deletions=spread)
    return Hit(j, diagonal=100, start=100 + deleted, end=140, score=score)


def test_priors_break_an_exact_tie() -> None:
    common, rare = _hit("J1*01", 20, 0.6, 3, 0.1), _hit("J2*01", 20, 0.1, 3, 0.1)
    best = most_likely([rare, common])
    assert best is common and best.equal == ["J2*01"]


def test_deletion_prior_counts_with_the_usage() -> None:
    """Equal usage: the deletion length the gene is likelier to have wins."""
    usual, unusual = _hit("J1*01", 20, 0.3, 12, 0.001), _hit("J2*01", 20, 0.3, 2, 0.2)
    assert most_likely([usual, unusual]) is unusual


def test_one_more_match_loses_only_to_a_much_likelier_gene() -> None:
    """One point is worth a factor 4: a gene 10 times likelier wins, 3 times likelier does not;
    the better-scoring rival is listed as equal either way."""
    ahead = _hit("J5*01", 21, 0.06, 3, 0.1)
    chosen = most_likely([ahead, _hit("J4*01", 20, 0.6, 3, 0.1)])
    assert chosen is not None and chosen.gene.name == "J4*01"
    assert most_likely([_hit("J4*01", 20, 0.18, 3, 0.1), ahead]) is ahead
    assert chosen.equal == ["J5*01"]


def test_priors_never_overturn_more_than_two_points() -> None:
    """Three points (a mismatch costs four) always win, however rare the gene."""
    unlikely = _hit("J2*01", 23, 0.0001, 3, 0.0001)
    assert most_likely([_hit("J1*01", 20, 0.9, 3, 0.5), unlikely]) is unlikely


@pytest.mark.parametrize("mutated", [False, True])
def test_equal_ighj_genes_go_to_the_likeliest(
    designer: Designer, germline_set: GermlineSet, mutated: bool
) -> None:
    """IGHJ4*02 deleted by 13 nt is the 3' part of IGHJ5*02 too; with a mutation where IGHJ1*01
    differs from both, IGHJ1*01 ties as well. The bundled priors make IGHJ4 the likeliest."""
    v = gene(germline_set, "IGHV3-23*01")
    j = gene(germline_set, "IGHJ4*02")  # ACTACTTTGACTA|CTGGGGCCAGGGAACCC...
    rest = j.sequence[13:]
    assert gene(germline_set, "IGHJ5*02").sequence.endswith(rest)
    assert j.usage > gene(germline_set, "IGHJ5*02").usage > gene(germline_set, "IGHJ1*01").usage
    if mutated:  # GGGAACC (IGHJ4, IGHJ5) / GGGCACC (IGHJ1) -> GGGTACC
        rest = rest.replace("GGGAACC", "GGGTACC")
    sequence = v.sequence[:-2] + "CCTCGG" + rest
    designation = designer.designate(sequence, "IGH")
    assert designation.j is not None and designation.j.name == "IGHJ4*02"
    equal = {"IGHJ5*02", "IGHJ1*01"} if mutated else {"IGHJ5*02"}
    assert equal <= set(designation.j.equal_alleles)
    assert any(w.code == "W69" and "IGHJ5*02" in w.message for w in designation.warnings)


def test_a_set_without_priors_keeps_file_order(germline_set: GermlineSet) -> None:
    other = Designer(_priorless(germline_set))
    v = gene(germline_set, "IGHV3-23*01")
    rest = gene(germline_set, "IGHJ4*02").sequence[13:].replace("GGGAACC", "GGGTACC")
    designation = other.designate(v.sequence[:-2] + "CCTCGG" + rest, "IGH")
    assert designation.j is not None and designation.j.name == "IGHJ1*01"
