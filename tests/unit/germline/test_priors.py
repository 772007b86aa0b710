"""`priors.tsv`: usage and deletion priors of V and J alleles, bundled and in imported sets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vidjil_local.core.genes import Gene
from vidjil_local.errors import GermlineError
from vidjil_local.germline import load_germline
from vidjil_local.germline.priors import AllelePrior, genes_with_priors, parse_priors

HEADER = "locus\tsegment\tallele\tusage\tdeletions\n"
MINI = Path(__file__).resolve().parents[2] / "data" / "germline" / "mini"


def _genes(germline: str, locus: str) -> dict[str, tuple[float, tuple[float, ...]]]:
    found = load_germline(germline).germline_set.locus(locus)
    return {gene.name: (gene.usage, gene.deletions) for gene in found.v_genes + found.j_genes}


def test_bundled_set_has_priors_for_every_locus() -> None:
    igh = _genes("human:IGH", "IGH")
    usage, deletions = igh["IGHJ4*02"]
    assert usage > igh["IGHJ5*02"][0] > igh["IGHJ1*01"][0] > 0.0
    assert len(deletions) > 10 and sum(deletions) == pytest.approx(1.0, abs=0.01)
    assert all(usage > 0.0 for usage, _ in igh.values() if usage)
    j_usage = [usage for name, (usage, _) in igh.items() if name.startswith("IGHJ")]
    assert sum(j_usage) == pytest.approx(1.0, abs=0.01)
    # TRG has no recombination model: published J usage (TRGJ1 well above TRGJ2), each allele
    # sharing its gene's, V genes equally used
    trg = _genes("human:TRG", "TRG")
    assert trg["TRGJ1*02"][0] == trg["TRGJ1*01"][0] > trg["TRGJ2*01"][0] > 0.0
    assert sum(usage for name, (usage, _) in trg.items() if "J" in name) == pytest.approx(1.0)
    assert trg["TRGV9*01"][0] == trg["TRGV9*02"][0] == trg["TRGV2*01"][0]
    assert trg["TRGJ2*01"][1] == trg["TRGJ1*02"][1] and len(trg["TRGJ2*01"][1]) > 10


def test_priors_are_read_from_an_imported_set_and_change_its_checksum(tmp_path: Path) -> None:
    directory = tmp_path / "mini"
    shutil.copytree(MINI, directory)
    preset = next(directory.glob("*.g"))
    before = load_germline(str(preset))
    locus = before.germline_set.loci[0]
    allele = locus.j_genes[0].name
    (directory / "priors.tsv").write_text(
        f"# a comment\n{HEADER}{locus.name}\tJ\t{allele}\t0.25\t0.5,0.3,0.2\n"
        f"{locus.name}\tJ\tNOT-IN-THE-SET*01\t0.5\t1\n"
    )
    after = load_germline(str(preset))
    gene = after.germline_set.loci[0].j_genes[0]
    assert (gene.usage, gene.deletions) == (0.25, (0.5, 0.3, 0.2))
    # alleles the file does not list get the listed ones' mean: no tie is won or lost by it
    others = after.germline_set.loci[0].j_genes[1:]
    assert others and all(
        (other.usage, other.deletions) == (0.25, (0.5, 0.3, 0.2)) for other in others
    )
    assert all(other.usage == 0.0 for other in after.germline_set.loci[0].v_genes)
    assert after.checksum != before.checksum


def test_unlisted_alleles_get_the_mean_of_the_listed_ones() -> None:
    genes = tuple(Gene(f"TRBJ{n}*01", "J", "ACGT" * 10, 20) for n in range(3))
    priors = {
        ("TRB", "J", "TRBJ0*01"): AllelePrior(0.6, (1.0, 0.0)),
        ("TRB", "J", "TRBJ1*01"): AllelePrior(0.2, (0.0, 0.5, 0.5)),
    }
    listed, other, unlisted = genes_with_priors(genes, "TRB", priors)
    assert (listed.usage, other.usage) == (0.6, 0.2)
    assert unlisted.usage == pytest.approx(0.4)
    assert unlisted.deletions == pytest.approx((0.75, 0.125, 0.125))
    assert genes_with_priors(genes, "IGH", priors) == genes
    # an incomplete or unusual system takes the priors of the genes' own locus
    assert genes_with_priors(genes, "TRB+", priors)[0].usage == 0.6


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("locus\tallele\n", 1, "expected the columns"),
        (HEADER + "IGH\tJ\tIGHJ1*01\t0.5\n", 2, "expected 5 tab-separated fields"),
        (HEADER + "IGH\tD\tIGHD1*01\t0.5\t1\n", 2, "segment must be V or J"),
        (HEADER + "\n# c\nIGH\tJ\tIGHJ1*01\tmany\t1\n", 4, "not a probability: 'many'"),
        (HEADER + "IGH\tJ\tIGHJ1*01\t0.5\t0.5,1.5\n", 2, "between 0 and 1"),
        (HEADER + "IGH\tJ\tIGHJ1*01\tnan\t1\n", 2, "between 0 and 1"),
    ],
)
def test_broken_priors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GermlineError, match=message) as caught:
        parse_priors(text, "set/priors.tsv")
    assert str(caught.value).startswith(f"set/priors.tsv:{line}:")


def test_broken_priors_file_stops_the_load(tmp_path: Path) -> None:
    directory = tmp_path / "mini"
    shutil.copytree(MINI, directory)
    (directory / "priors.tsv").write_bytes(b"\xff\xfe not text")
    with pytest.raises(GermlineError, match=r"priors\.tsv: not a text file"):
        load_germline(str(next(directory.glob("*.g"))))
