"""Reads made from germline genes for every kind of recombination system: complete V(D)J,
incomplete ("+": a D gene or an element around one as the 5' or 3' side) and unexpected
(a 5' gene of one locus with a 3' gene of another), with deletions, N regions and errors.

Shared by the core, pipeline and browser tests; `CASES` lists what the bundled human set and
the test archive (`tests/data/germline/vidjil-archive`) must detect and designate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from vidjil_local.core.genes import Gene, GermlineSet

ARCHIVE = (
    Path(__file__).resolve().parent / "data" / "germline" / "vidjil-archive" / "homo-sapiens.g"
)
SHORT = 60  # genes shorter than this are D genes or elements around them: read whole


@dataclass(frozen=True)
class Case:
    """A recombination to make: the system it belongs to, its 5' gene, D gene (or "") and 3'
    gene, named as the germline set names them."""

    system: str
    five: str
    three: str
    middle: str = ""

    @property
    def label(self) -> str:
        middle = f"-{self.middle}" if self.middle else ""
        return f"{self.system}:{self.five}{middle}-{self.three}"


BUNDLED_CASES = (
    Case("IGH+", "IGHD3-10*01", "IGHJ4*02"),  # Dh-Jh from the IGHD genes themselves
    Case("IGH+", "IGHD2-2*01", "IGHJ6*02"),
    Case("TRA+D", "TRDV2*01", "TRAJ29*01"),  # Vδ2-Jα29: was TRD with a wrong TRDJ
    Case("TRA+D", "TRDV1*01", "TRAJ30*01", "TRDD3*01"),
    Case("TRD", "TRAV29/DV5*01", "TRDJ1*01", "TRDD3*01"),  # was placed in TRA
    Case("TRA", "TRAV29/DV5*01", "TRAJ29*01"),  # TRAV/DV with Jα stays TRA (Vidjil's order)
    Case("IGH", "IGHV3-23*01", "IGHJ4*02", "IGHD3-10*01"),
    Case("xxx", "TRBV20-1*01", "IGKJ1*01"),  # unexpected: V of one locus, J of another
    Case("xxx", "IGKV1-5*01", "IGLJ2*01"),
)

ARCHIVE_CASES = (
    Case("IGK+", "IGKV1-5*01", "IGK-KDE*01"),  # Vκ-KDE
    Case("IGK+", "IGK-INTRON*01", "IGK-KDE*01"),  # intron-KDE
    Case("TRD+", "TRDV2*01", "TRDD3*01"),  # Vδ2-Dδ3
    Case("TRD+", "TRDD2*01", "TRDJ1*01", "TRDD3*01"),  # Dδ2-(Dδ3)-Jδ1
    Case("TRD+", "TRDD2*01", "TRDD3*01"),  # Dδ2-Dδ3
    Case("TRB+", "TRBD1*01", "TRBJ1-1*01"),  # Dβ1-Jβ1.1
    Case("TRB+", "TRBD2*01", "TRBJ2-7*01"),
    Case("IGH+", "IGHD2-2*01", "IGHJ6*02"),
    Case("TRA+D", "TRDV1*01", "TRAJ30*01"),  # Vδ1-Jα
    Case("TRA+D", "TRDD2*01", "TRAJ29*01"),  # Dδ2-Jα
    Case("TRD", "TRDV2*01", "TRDJ1*01", "TRDD3*01"),
    Case("TRB", "TRBV20-1*01", "TRBJ2-7*01", "TRBD2*01"),
    Case("IGK", "IGKV3-20*01", "IGKJ4*01"),
    Case("xxx", "TRBV7-9*01", "IGKJ1*01"),
)


def find_gene(germline_set: GermlineSet, system: str, role: str, name: str) -> Gene:
    """The gene `name` in a role ("5", "4" or "3") of a system's recombinations; for "xxx", of
    any system."""
    loci = [locus for locus in germline_set.loci if system in (locus.name, "xxx")]
    for locus in loci:
        for unit in locus.units():
            genes = {"5": unit.five, "4": unit.middle, "3": unit.three}[role]
            for gene in genes:
                if gene.name == name:
                    return gene
    raise KeyError(f"{name} ({role}) in {system}")


def make_read(germline_set: GermlineSet, case: Case, seed: int) -> str:
    """A read of `case`: the 5' gene's 3' part (its last 150 nt, or all of a short element
    after random upstream sequence) minus 0-4 nt, an N region of 1-8 nt, the D gene trimmed by
    0-2 nt on each side and another N region, the 3' gene minus 0-4 nt at its 5' end, then
    random sequence after a short 3' element; one substitution error in each of the 5' and 3'
    genes, away from the junction."""
    rng = random.Random(seed)

    def dna(length: int) -> str:
        return "".join(rng.choice("ACGT") for _ in range(length))

    five = find_gene(germline_set, case.system, "5", case.five).sequence
    three = find_gene(germline_set, case.system, "3", case.three).sequence
    left = five[-150:] if len(five) >= SHORT else dna(30) + five
    left = _with_error(left[: len(left) - rng.randint(0, 4)], 15, rng)
    right = three[rng.randint(0, 4) :]
    right = _with_error(right, len(right) - 12, rng) if len(right) > 30 else right
    if len(three) < SHORT:
        right += dna(30)
    middle = ""
    if case.middle:
        d = find_gene(germline_set, case.system, "4", case.middle).sequence
        middle = d[rng.randint(0, 2) : len(d) - rng.randint(0, 2)] + dna(rng.randint(1, 6))
    return left + dna(rng.randint(1, 8)) + middle + right


def _with_error(sequence: str, position: int, rng: random.Random) -> str:
    base = rng.choice([b for b in "ACGT" if b != sequence[position]])
    return sequence[:position] + base + sequence[position + 1 :]
