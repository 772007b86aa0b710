"""Germline genes as the core sees them: plain typed values, built by `vidjil_local.germline`.

Coordinates are 0-based on the ungapped sequence. `anchor` is the first nucleotide of the
Cys104 codon (V genes) or of the Phe/Trp118 codon (J genes), -1 when unknown (D genes, or genes
whose anchor could not be found). The junction runs from the V anchor to the J anchor + 3.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gene:
    name: str  # allele name, e.g. "IGHV3-23*01"
    segment: str  # "V", "D" or "J"
    sequence: str  # uppercase ACGT (N allowed), no gaps
    anchor: int = -1
    # Priors, when the germline set has them (0 / empty: unknown): the allele's probability in
    # a repertoire, and of 0, 1, 2, ... nt deleted at its junction end (V 3', J 5').
    usage: float = 0.0
    deletions: tuple[float, ...] = ()

    @property
    def gene(self) -> str:
        """The gene without its allele: "IGHV3-23*01" -> "IGHV3-23"."""
        return self.name.split("*", 1)[0]


@dataclass(frozen=True)
class Locus:
    """One recombination system of a germline set (Vidjil calls it a germline, e.g. "IGH")."""

    name: str
    v_genes: tuple[Gene, ...]
    j_genes: tuple[Gene, ...]
    d_genes: tuple[Gene, ...] = ()
    seed: str = "12s"  # k-mer seed of the .g preset ("12s", "10s", or an explicit "####-####")


@dataclass(frozen=True)
class GermlineSet:
    """The loci selected for an analysis, in the preset's order."""

    name: str  # e.g. "homo-sapiens"
    loci: tuple[Locus, ...]

    def locus(self, name: str) -> Locus:
        for locus in self.loci:
            if locus.name == name:
                return locus
        raise KeyError(name)
