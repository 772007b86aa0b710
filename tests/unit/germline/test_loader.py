"""The germline loader: bundled set, selections, other presets, and every error a user can cause."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vidjil_local.errors import GermlineError
from vidjil_local.germline import load_germline, split_spec
from vidjil_local.germline.motifs import find_j_anchor

MINI = Path(__file__).parents[2] / "data" / "germline" / "mini"
ALL_SYSTEMS = ["IGH", "IGH+", "IGK", "IGL", "TRA", "TRB", "TRG", "TRD", "TRA+D"]


def test_bundled_set_has_the_seven_loci_with_anchored_genes() -> None:
    loaded = load_germline("human")
    loci = loaded.germline_set.loci
    assert [locus.name for locus in loci] == ALL_SYSTEMS
    igh = loaded.germline_set.locus("IGH")
    assert len(igh.v_genes) > 50 and len(igh.d_genes) > 20 and len(igh.j_genes) >= 6
    assert loaded.germline_set.locus("IGK").d_genes == ()
    anchored = [
        gene for locus in loci for gene in locus.v_genes + locus.j_genes if gene.anchor >= 0
    ]
    assert all("." not in gene.sequence for gene in anchored)
    canonical = {"V": {"TGT", "TGC"}, "J": {"TTT", "TTC", "TGG"}}
    odd = [g for g in anchored if g.sequence[g.anchor : g.anchor + 3] not in canonical[g.segment]]
    # a few alleles carry a mutated conserved codon (IGHV4-4*07 GTG, TRBJ2-7*02 GTC, ...)
    assert len(anchored) > 500 and len(odd) <= 12


def test_bundled_set_reports_trav_genes_without_anchor() -> None:
    loaded = load_germline("human")
    missing = [g.name for g in loaded.germline_set.locus("TRA").v_genes if g.anchor < 0]
    assert missing
    # TRDV.fa holds the TRAV/DV genes too (as in Vidjil's sets), one of them without anchor;
    # each file is reported once though TRA+D reads TRDV.fa and TRAJ.fa again
    assert [warning.split(":")[0] for warning in loaded.warnings] == [
        "TRA TRAV.fa",
        "TRD TRDV.fa",
    ]
    assert missing[0] in loaded.warnings[0] and "TRAV14/DV4*04" in loaded.warnings[1]


def test_bundled_incomplete_and_trans_systems() -> None:
    """IGH+ D-J from the IGHD genes; TRA+D Vδ-(Dδ)-Jα from TRDV, TRDD and TRAJ; TRD's 5'
    genes include the TRAV/DV genes, as in Vidjil's sets."""
    germline_set = load_germline("human").germline_set
    igh_plus = germline_set.locus("IGH+")
    igh = germline_set.locus("IGH")
    ((five_names, three_names),) = [
        ([g.name for g in unit.five], [g.name for g in unit.three]) for unit in igh_plus.units()
    ]
    assert five_names == [g.name for g in igh.d_genes]
    assert three_names == [g.name for g in igh.j_genes]
    tra_d = germline_set.locus("TRA+D")
    (unit,) = tra_d.units()
    assert {g.name for g in unit.five} == {g.name for g in germline_set.locus("TRD").v_genes}
    assert unit.middle == germline_set.locus("TRD").d_genes
    assert [g.name for g in unit.three] == [g.name for g in germline_set.locus("TRA").j_genes]
    trdv = {g.name for g in germline_set.locus("TRD").v_genes}
    assert {"TRDV2*01", "TRAV29/DV5*01", "TRAV14/DV4*01"} <= trdv


def test_anchor_of_a_known_gene() -> None:
    igh = load_germline("human:IGH").germline_set.locus("IGH")
    v = next(gene for gene in igh.v_genes if gene.name == "IGHV1-18*01")
    assert v.anchor == 285
    j = next(gene for gene in igh.j_genes if gene.name == "IGHJ4*02")
    assert j.sequence[j.anchor : j.anchor + 6] == "TGGGGC"


def test_selection_keeps_the_asked_order() -> None:
    loaded = load_germline("human:TRG,igh,IGH")
    assert [locus.name for locus in loaded.germline_set.loci] == ["TRG", "IGH"]
    assert loaded.warnings == []  # TRA, the only locus with unanchored genes, is not loaded
    assert "TRG,IGH" in loaded.provenance


def test_checksum_tells_sets_apart_and_is_stable() -> None:
    assert load_germline("human").checksum == load_germline("human").checksum
    assert load_germline("human").checksum != load_germline(str(MINI / "mini.g")).checksum


def test_unknown_locus_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(GermlineError, match=r"unknown locus XYZ.*IGH, IGH\+, IGK"):
        load_germline("human:IGH,XYZ")


def test_preset_path_with_anchors_from_imgt_gaps(tmp_path: Path) -> None:
    loaded = load_germline(f"{MINI / 'mini.g'}:IGH")
    igh = loaded.germline_set.locus("IGH")
    assert {gene.name for gene in igh.v_genes} == {"IGHV3-23*01", "IGHV1-18*01"}
    bundled = load_germline("human:IGH").germline_set.locus("IGH")
    expected = {gene.name: gene.anchor for gene in bundled.v_genes + bundled.j_genes}
    for gene in igh.v_genes + igh.j_genes:
        assert gene.anchor == expected[gene.name] >= 0
    assert loaded.warnings == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("human", ("human", None)),
        ("human:IGH,TRG", ("human", ["IGH", "TRG"])),
        ("/data/sets/imgt.g:IGK", ("/data/sets/imgt.g", ["IGK"])),
        (r"C:\sets\imgt.g", (r"C:\sets\imgt.g", None)),
        ("TRD+:TRA+D", ("TRD+", ["TRA+D"])),
    ],
)
def test_split_spec(spec: str, expected: tuple[str, list[str] | None]) -> None:
    assert split_spec(spec) == expected


def _copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def test_missing_preset_file(tmp_path: Path) -> None:
    with pytest.raises(GermlineError, match="cannot read"):
        load_germline(str(tmp_path / "nothing.g"))


def test_missing_fasta_file(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    (directory / "TRGJ.fa").unlink()
    with pytest.raises(GermlineError, match=r"TRGJ\.fa: germline file not found"):
        load_germline(str(directory / "mini.g"))
    assert load_germline(f"{directory / 'mini.g'}:IGH").germline_set.loci[0].name == "IGH"


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("ACGT\n>x|G*01|\nACGT\n", 1, "before the first"),
        (">x|G*01|\nACGT\n>x|G*02|\nACGTZZ\n", 4, "unexpected characters 'Z'"),
        (">x|G*01|\n>x|G*02|\nACGT\n", 1, "no sequence"),
        (">x||\nACGT\n", 1, "without a gene name"),
    ],
)
def test_broken_fasta_names_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    directory = _copy_mini(tmp_path)
    (directory / "TRGV.fa").write_text(content)
    with pytest.raises(GermlineError, match=message) as caught:
        load_germline(str(directory / "mini.g"))
    assert caught.value.details["line"] == line
    assert str(directory / "TRGV.fa") in caught.value.message


def test_empty_fasta(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    (directory / "IGHD.fa").write_text("\n")
    with pytest.raises(GermlineError, match="no FASTA record"):
        load_germline(str(directory / "mini.g"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a JSON"),
        ('{"ref": 1}', "no 'systems'"),
        ('{"systems": {"X": {}}}', "no 'recombinations'"),
    ],
)
def test_broken_preset(tmp_path: Path, content: str, message: str) -> None:
    preset = tmp_path / "broken.g"
    preset.write_text(content)
    with pytest.raises(GermlineError, match=message):
        load_germline(str(preset))


def test_ungapped_genes_warn_or_use_the_j_motif(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    for name in ("TRGV.fa", "TRGJ.fa"):
        text = (directory / name).read_text()
        (directory / name).write_text(text.replace(".", ""))
    loaded = load_germline(f"{directory / 'mini.g'}:TRG")
    trg = loaded.germline_set.locus("TRG")
    assert all(gene.anchor == -1 for gene in trg.v_genes)
    assert [w.split(":")[0] for w in loaded.warnings] == ["TRG TRGV.fa"]
    bundled = load_germline("human:TRG").germline_set.locus("TRG")
    expected = {gene.name: gene.anchor for gene in bundled.j_genes}
    assert all(gene.anchor == expected[gene.name] for gene in trg.j_genes)


def test_absolute_path_in_preset(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    preset = json.loads((directory / "mini.g").read_text())
    preset["path"] = str(directory)
    (tmp_path / "elsewhere.g").write_text(json.dumps(preset))
    loaded = load_germline(str(tmp_path / "elsewhere.g"))
    assert [locus.name for locus in loaded.germline_set.loci] == ["IGH", "TRG"]


def test_j_motif_finder() -> None:
    assert find_j_anchor("AAACTCTTTGGCAGTGGAACA") == 6
    assert find_j_anchor("ACGTACGTACGTACGT") == -1


def test_vidjil_style_preset_with_subdirectory_and_incomplete_system(tmp_path: Path) -> None:
    """The layout of Vidjil's `make germline`: "path" names a subdirectory, J files carry
    downstream sequence without gaps, and an incomplete D-J system uses D genes as its 5' side."""
    genes = tmp_path / "homo-sapiens"
    shutil.copytree(MINI, genes)
    j_plus_down = (MINI / "IGHJ.fa").read_text().replace(".", "")
    (genes / "IGHJ+down.fa").write_text(j_plus_down)
    (genes / "IGHD+up.fa").write_text((MINI / "IGHD.fa").read_text())
    preset = {
        "path": "homo-sapiens",
        "systems": {
            "IGH": {
                "recombinations": [{"5": ["IGHV.fa"], "4": ["IGHD.fa"], "3": ["IGHJ+down.fa"]}]
            },
            "IGH+": {
                "follows": "IGH",
                "recombinations": [{"5": ["IGHD+up.fa"], "3": ["IGHJ+down.fa"]}],
                "parameters": {"seed": "9c"},
            },
        },
    }
    (tmp_path / "homo-sapiens.g").write_text(json.dumps(preset))
    loaded = load_germline(str(tmp_path / "homo-sapiens.g"))
    igh, incomplete = loaded.germline_set.loci
    assert incomplete.name == "IGH+" and incomplete.seed == "9c"
    assert [gene.segment for gene in incomplete.v_genes] == ["V", "V"]  # the 5' side
    bundled = load_germline("human:IGH").germline_set.locus("IGH")
    expected = {gene.name: gene.anchor for gene in bundled.j_genes}
    assert all(gene.anchor == expected[gene.name] >= 0 for gene in igh.j_genes)  # from the motif
    # D genes as the 5' side of an incomplete system have no Cys104: nothing to warn about
    assert loaded.warnings == []
    (recombination,) = incomplete.units()
    assert [gene.name for gene in recombination.five] == [gene.name for gene in incomplete.v_genes]
    assert recombination.three == incomplete.j_genes and recombination.middle == ()


def test_binary_fasta(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    (directory / "IGHV.fa").write_bytes(b"\x1f\x8b\x08\x00\xff\xfe")
    with pytest.raises(GermlineError, match="not a text FASTA"):
        load_germline(str(directory / "mini.g"))


def test_locus_without_j_genes(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    preset = {"systems": {"TRG": {"recombinations": [{"5": ["TRGV.fa"]}]}}}
    (directory / "only-v.g").write_text(json.dumps(preset))
    with pytest.raises(GermlineError, match="TRG lacks 5'"):
        load_germline(str(directory / "only-v.g"))


def test_directory_instead_of_preset(tmp_path: Path) -> None:
    with pytest.raises(GermlineError, match="a directory"):
        load_germline(str(tmp_path))


def test_same_name_for_two_sequences_is_a_warning(tmp_path: Path) -> None:
    directory = _copy_mini(tmp_path)
    fasta = (directory / "IGHD.fa").read_text()
    first_header = fasta.splitlines()[0]
    (directory / "IGHD.fa").write_text(fasta + f"{first_header}\nGGGTTTCCCAAA\n" + fasta)
    loaded = load_germline(f"{directory / 'mini.g'}:IGH")
    d_genes = loaded.germline_set.locus("IGH").d_genes
    assert [gene.name for gene in d_genes] == ["IGHD2-2*01", "IGHD3-10*01"]
    assert d_genes[0].sequence != "GGGTTTCCCAAA"
    assert loaded.warnings == ["IGH: two different sequences named IGHD2-2*01, kept the first"]
