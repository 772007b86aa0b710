"""Germline genes as the core sees them: plain typed values, built by `vidjil_local.germline`.

Coordinates are 0-based on the ungapped sequence. `anchor` is the first nucleotide of the
Cys104 codon (V genes) or of the Phe/Trp118 codon (J genes), -1 when unknown (D genes, or genes
whose anchor could not be found). The junction runs from the V anchor to the J anchor + 3.
"""

from __future__ import annotations

from dataclasses import dataclass

UNEXPECTED = "xxx"  # Vidjil's system name for unexpected (trans-locus) recombinations


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
class Recombination:
    """One recombination a system declares (an entry of a `.g` preset's "recombinations").

    `five` are its 5' genes: V genes, or for an incomplete recombination a D gene or an element
    upstream of one (IGH+ D-J, TRD+ Dδ2-Jδ); `three` its 3' genes: J genes, or a D gene or a
    downstream element (IGK+ KDE, TRD+ Vδ-Dδ3); `middle` the D genes that may lie between.
    """

    five: tuple[Gene, ...]
    three: tuple[Gene, ...]
    middle: tuple[Gene, ...] = ()


@dataclass(frozen=True)
class Locus:
    """One recombination system of a germline set (Vidjil calls it a germline, e.g. "IGH",
    "IGH+" or "TRA+D").

    `v_genes`, `d_genes` and `j_genes` are the 5', middle and 3' genes of all its
    recombinations; `recombinations` tells which 5' genes recombine with which 3' ones, when the
    system declares several (TRD+: Vδ-Dδ3, Dδ2-(Dδ)-Jδ, Dδ2-Dδ3). Empty: the one recombination
    of all of them.
    """

    name: str
    v_genes: tuple[Gene, ...]
    j_genes: tuple[Gene, ...]
    d_genes: tuple[Gene, ...] = ()
    seed: str = "12s"  # k-mer seed of the .g preset ("12s", "10s", or an explicit "####-####")
    recombinations: tuple[Recombination, ...] = ()

    def units(self) -> tuple[Recombination, ...]:
        """The recombinations of the system, at least one, with the genes of `v_genes`,
        `d_genes` and `j_genes` (a locus rebuilt with other genes, priors for example, keeps
        its recombinations: they are matched by name, role by role)."""
        if not self.recombinations:
            return (Recombination(self.v_genes, self.j_genes, self.d_genes),)
        fives = {gene.name: gene for gene in self.v_genes}
        middles = {gene.name: gene for gene in self.d_genes}
        threes = {gene.name: gene for gene in self.j_genes}
        return tuple(
            Recombination(
                tuple(fives.get(gene.name, gene) for gene in unit.five),
                tuple(threes.get(gene.name, gene) for gene in unit.three),
                tuple(middles.get(gene.name, gene) for gene in unit.middle),
            )
            for unit in self.recombinations
        )


@dataclass(frozen=True)
class GermlineSet:
    """The loci (recombination systems) selected for an analysis, in the preset's order."""

    name: str  # e.g. "homo-sapiens"
    loci: tuple[Locus, ...]

    def locus(self, name: str) -> Locus:
        for locus in self.loci:
            if locus.name == name:
                return locus
        raise KeyError(name)
