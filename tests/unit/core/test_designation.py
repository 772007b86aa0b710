"""Designation of sequences rearranged by hand from germline genes, and of simulated clones."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from tests.unit.core.conftest import gene
from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import Gene, GermlineSet

SIMULATED = Path(__file__).parents[2] / "data" / "designation" / "simulated_clones.tsv"
COMPLEMENT = str.maketrans("ACGT", "TGCA")


def rearrange(parts: list[tuple[Gene, int, int] | str]) -> str:
    """Join trimmed genes (gene, 5' deletion, 3' deletion) and N regions.

    N regions must not extend a neighbouring gene by chance (their edge nt differ from the
    deleted germline nt), so the designation the tests expect is the only right one.
    """
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        else:
            germline, deleted_5, deleted_3 = part
            pieces.append(germline.sequence[deleted_5 : len(germline.sequence) - deleted_3])
    return "".join(pieces)


def igh_vdj(germline_set: GermlineSet, insertion_2: str = "CACG") -> str:
    v = gene(germline_set, "IGHV3-23*01")  # ...GCGAAA|GA
    d = gene(germline_set, "IGHD3-10*01")  # GTAT|TACTATGGTTCGGGGAGTTATTA|TAAC
    j = gene(germline_set, "IGHJ6*02")  # ATTACTAC|TACTACTACGGTATGGACGTCTGG...
    return rearrange([(v, 0, 2), "CTC", (d, 4, 4), insertion_2, (j, 8, 0)])


def test_vdj_with_known_deletions_and_insertions(
    designer: Designer, germline_set: GermlineSet
) -> None:
    sequence = igh_vdj(germline_set)
    designation = designer.designate(sequence, "IGH")
    assert designation.name == "IGHV3-23*01 2/CTC/4 IGHD3-10*01 4/CACG/8 IGHJ6*02"
    assert designation.v is not None and designation.d is not None and designation.j is not None
    assert (designation.v.start, designation.v.end) == (0, 294)
    assert (designation.d.start, designation.d.end) == (297, 320)
    assert (designation.j.start, designation.j.end) == (324, len(sequence))
    assert designation.v.mismatches == 0 and designation.j.germline_start == 8
    assert designation.junction_start == 285
    assert designation.junction == sequence[285 : 324 + (29 - 8) + 3]
    assert designation.junction_aa == "CAKLYYGSGSYYTYYYGMDVW"
    assert designation.cdr3_aa == "AKLYYGSGSYYTYYYGMDV"
    assert designation.cdr3 == designation.junction[3:-3]
    assert designation.vj_in_frame and designation.stop_codon is False
    assert designation.productive is True
    assert designation.warnings == ()


def test_stop_codon_is_not_productive(designer: Designer, germline_set: GermlineSet) -> None:
    designation = designer.designate(igh_vdj(germline_set, insertion_2="AACG"), "IGH")
    assert "*" in designation.junction_aa  # ...AGT TAT TAA ACG...
    assert designation.vj_in_frame and designation.stop_codon is True
    assert designation.productive is False


def test_out_of_frame_junction(designer: Designer, germline_set: GermlineSet) -> None:
    designation = designer.designate(igh_vdj(germline_set, insertion_2="CACGA"), "IGH")
    assert designation.name.endswith("4/CACGA/8 IGHJ6*02")
    assert len(designation.junction) % 3 == 1
    assert designation.junction_aa.endswith("#")  # vidjil's mark of the incomplete codon
    assert designation.vj_in_frame is False and designation.productive is False


def test_vj_locus_without_d(designer: Designer, germline_set: GermlineSet) -> None:
    v = gene(germline_set, "TRGV9*01")  # ...TGTGCCTTGTGGGAG|GTG
    j = gene(germline_set, "TRGJ1*01")  # GA|ATTATTATAAGAAACTCTTTGGC...
    sequence = rearrange([(v, 0, 3), "CCGT", (j, 2, 0)])
    designation = designer.designate(sequence, "TRG")
    assert designation.name == "TRGV9*01 3/CCGT/2 TRGJ1*01"
    assert designation.d is None and designation.insertion_2 == ""
    assert designation.junction_start == 288
    assert designation.junction_end == (306 - 3) + 4 + (19 - 2) + 3
    assert designation.junction_aa == translate_by_table(designation.junction)
    assert designation.junction_aa[0] == "C" and designation.junction_aa[-1] == "F"
    assert designation.productive is True


def translate_by_table(sequence: str) -> str:
    bases = "TCAG"
    amino_acids = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
    table = {
        a + b + c: amino_acids[16 * i + 4 * k + m]
        for i, a in enumerate(bases)
        for k, b in enumerate(bases)
        for m, c in enumerate(bases)
    }
    protein = "".join(table[sequence[p : p + 3]] for p in range(0, len(sequence) - 2, 3))
    return protein + ("#" if len(sequence) % 3 else "")


def test_somatic_mutations_are_counted_and_tolerated(
    designer: Designer, germline_set: GermlineSet
) -> None:
    sequence = list(igh_vdj(germline_set))
    for position in (30, 90, 150, 210):  # in the V, far from its 3' end
        sequence[position] = "A" if sequence[position] != "A" else "C"
    designation = designer.designate("".join(sequence), "IGH")
    assert designation.v is not None and designation.v.name == "IGHV3-23*01"
    assert designation.v.mismatches == 4
    assert designation.junction_aa == "CAKLYYGSGSYYTYYYGMDVW"


def test_partial_v_from_a_short_read(designer: Designer, germline_set: GermlineSet) -> None:
    sequence = igh_vdj(germline_set)[240:]
    designation = designer.designate(sequence, "IGH")
    assert designation.v is not None and designation.v.gene == "IGHV3-23"
    assert designation.v.germline_start == 240
    assert designation.junction_start == 285 - 240
    assert designation.junction_aa == "CAKLYYGSGSYYTYYYGMDVW"


def test_reverse_complement_and_unknown_locus(
    designer: Designer, germline_set: GermlineSet
) -> None:
    sequence = igh_vdj(germline_set)
    reverse = sequence.translate(COMPLEMENT)[::-1]
    expected = designer.designate(sequence, "IGH")
    assert designer.designate(reverse, "IGH") == expected
    assert designer.designate(sequence.lower()) == expected


def test_no_rearrangement_gives_w68(designer: Designer, germline_set: GermlineSet) -> None:
    random_sequence = "ACGTTGCAAGCTTCGATCGGATCCTAGGCTAGCATCGATCGTAGCTAGCTAGGATCCGATC" * 3
    failed = designer.designate(random_sequence, "IGH")
    assert failed.v is None and failed.j is None and not failed.has_junction
    assert [warning.code for warning in failed.warnings] == ["W68"]
    only_v = gene(germline_set, "IGHV3-23*01").sequence
    failed = designer.designate(only_v, "IGH")
    assert failed.v is None and failed.warnings[0].code == "W68"
    assert "IGHV3-23*01" in failed.warnings[0].message


def test_identical_j_genes_give_w69(designer: Designer, germline_set: GermlineSet) -> None:
    v = gene(germline_set, "TRGV9*01")
    j = gene(germline_set, "TRGJ2*01")  # its 3' part is TRGJ1*02
    sequence = rearrange([(v, 0, 3), "CCG", (j, 6, 0)])
    designation = designer.designate(sequence, "TRG")
    assert designation.j is not None
    assert {designation.j.name, *designation.j.equal_alleles} >= {"TRGJ1*02", "TRGJ2*01"}
    assert [warning.code for warning in designation.warnings] == ["W69"]
    assert "TRGJ1*02" in designation.warnings[0].message


def simulated_rows() -> list[dict[str, str]]:
    with SIMULATED.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("row", simulated_rows(), ids=lambda row: row["clone_id"] + row["locus"])
def test_simulated_clones(designer: Designer, row: dict[str, str]) -> None:
    designation = designer.designate(row["sequence"], row["locus"])
    assert designation.v is not None and designation.j is not None
    assert designation.v.gene == row["v_call"].split("*")[0]
    j_calls = {name.split("*")[0] for name in (designation.j.name, *designation.j.equal_alleles)}
    assert row["j_call"].split("*")[0] in j_calls
    assert designation.junction_aa == row["junction_aa"]
    assert designation.locus == row["locus"]


def trd_vddj(germline_set: GermlineSet) -> str:
    v = gene(germline_set, "TRDV2*01")  # ...TGTGACA|CC
    d2 = gene(germline_set, "TRDD2*01")  # C|CTTCCTA|C
    d3 = gene(germline_set, "TRDD3*01")  # AC|TGGGGGATA|CG
    j = gene(germline_set, "TRDJ1*01")  # ACA|CCGATAAACTCATCTTTGG...
    return rearrange([(v, 0, 2), "AG", (d2, 1, 1), "GAT", (d3, 2, 2), "TTG", (j, 3, 0)])


def test_two_d_genes_in_trd(designer: Designer, germline_set: GermlineSet) -> None:
    designation = designer.designate(trd_vddj(germline_set), "TRD")
    assert designation.name == "TRDV2*01 2/AG/1 TRDD2*01 1/GAT/2 TRDD3*01 2/TTG/3 TRDJ1*01"
    assert designation.d is not None and designation.d2 is not None
    assert (designation.d.start, designation.d.end) == (288, 295)
    assert (designation.d2.start, designation.d2.end) == (298, 307)
    assert designation.insertion_3 == "TTG"
    assert designation.junction_aa == "CDKLPRLGDIADKLIF" and designation.productive is True


@pytest.mark.parametrize(
    ("where", "edit"),
    [(250, "insert"), (250, "delete"), (324 + 12, "insert"), (324 + 12, "delete")],
    ids=["V-insertion", "V-deletion", "J-insertion", "J-deletion"],
)
def test_junction_survives_an_indel_in_v_or_j(
    designer: Designer, germline_set: GermlineSet, where: int, edit: str
) -> None:
    """A 1-nt indel in V (before the Cys) or in J (before the Trp) keeps both anchors right."""
    original = igh_vdj(germline_set)  # J starts at 324, its Trp codon at 324 + 21
    edited = (
        original[:where] + "T" + original[where:]
        if edit == "insert"
        else original[:where] + original[where + 1 :]
    )
    designation = designer.designate(edited, "IGH")
    assert designation.v is not None and designation.v.name == "IGHV3-23*01"
    assert designation.j is not None and designation.j.name == "IGHJ6*02"
    assert designation.v.deleted_3 == 2 and designation.j.deleted_5 == 8
    junction = designation.junction
    assert junction[:3] == "TGT" and junction[-3:] == "TGG"
    if where < 285:  # the indel is before the junction: the junction is the original one
        assert designation.junction_aa == "CAKLYYGSGSYYTYYYGMDVW"
    else:
        shift = 1 if edit == "insert" else -1
        assert len(junction) == len("CAKLYYGSGSYYTYYYGMDVW") * 3 + shift


def test_n_region_looking_like_the_shifted_v_does_not_move_the_cys(
    designer: Designer, germline_set: GermlineSet
) -> None:
    """V cut one nt after its Cys codon, then N nucleotides that read like the V 3' end shifted
    by two (TGCGAGA): the aligner may follow that piece as an indel, but the Cys codon, aligned
    by the V's main piece, stays where it is (a simulated IGH clone got it two nt off)."""
    v = gene(germline_set, "IGHV1-3*01")  # ...TAC|TGT|GCGAGAGA, Cys at 285
    j = gene(germline_set, "IGHJ4*02")  # ACTAC|TTTGACTACTGGGGC...
    insertion = "TGCGAGACGACCCCCGATGGCCCAGCAGCTGGTACGGCAGG"
    sequence = v.sequence[: v.anchor + 4] + insertion + j.sequence[5:]
    designation = designer.designate(sequence, "IGH")
    assert designation.v is not None and designation.v.name == "IGHV1-3*01"
    assert designation.junction_start == v.anchor
    assert designation.junction_aa == "CVRDDPRWPSSWYGRFDYW"
    assert designation.productive is True


def test_unknown_bases(designer: Designer, germline_set: GermlineSet) -> None:
    sequence = list(igh_vdj(germline_set))
    for position in (100, 200, 300):  # two in V, one in the D of the junction
        sequence[position] = "N"
    designation = designer.designate("".join(sequence), "IGH")
    assert designation.v is not None and designation.v.mismatches == 0  # N is not a mismatch
    assert designation.name.startswith("IGHV3-23*01 2/CTC/")
    assert designation.junction_aa == "CAKLYXGSGSYYTYYYGMDVW"  # 300 = 285 + 3 * 5: the 6th codon
    assert designation.productive is True


def test_short_or_empty_sequences(designer: Designer) -> None:
    for sequence in ("", "ACGT", "N" * 80):
        designation = designer.designate(sequence, "IGH")
        assert designation.v is None and designation.warnings[0].code == "W68"


def test_indel_right_after_a_short_j_anchor(designer: Designer, germline_set: GermlineSet) -> None:
    """Only one J nt is left before its Phe codon and one nt is inserted right after it: too
    short to align, the codon is found back next to where the J alignment points."""
    v = gene(germline_set, "TRGV9*01")  # ...GTG|TGCCTTGTGGGAG|GTG, Cys at 288
    j = gene(germline_set, "TRGJ1*01")  # GAATTATTATAAGAAACT|C TTT GGCAGTGG..., Phe at 19
    j_part = j.sequence[18:22] + "A" + j.sequence[22:]  # C TTT A GGCAGTGG...
    sequence = v.sequence[:-3] + "CCGA" + j_part
    designation = designer.designate(sequence, "TRG")
    assert designation.j is not None and designation.j.name == "TRGJ1*01"
    assert designation.junction_start == 288
    assert designation.junction_end == (306 - 3) + 4 + 1 + 3
    assert designation.junction.endswith("CTTT")


def test_random_sequences_are_not_designated(designer: Designer) -> None:
    generator = random.Random(7)
    for _ in range(20):
        sequence = "".join(generator.choice("ACGT") for _ in range(300))
        designation = designer.designate(sequence)  # every locus, both strands
        assert designation.v is None and designation.warnings[0].code == "W68"
