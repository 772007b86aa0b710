"""Germline sets for the core tests: a small synthetic one (random V and J genes) for detection and
clustering, the bundled human one (with its Designer) for designation."""

from __future__ import annotations

import random

import pytest

from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import Gene, GermlineSet, Locus
from vidjil_local.germline import load_germline


def random_dna(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(length))


def substitute(sequence: str, position: int) -> str:
    """`sequence` with another base at `position` (a sequencing error, a mutation)."""
    base = "A" if sequence[position] != "A" else "C"
    return sequence[:position] + base + sequence[position + 1 :]


@pytest.fixture(scope="session")
def germline() -> GermlineSet:
    rng = random.Random(7)
    loci = []
    for name in ("IGH", "TRG"):
        v_genes = tuple(Gene(f"{name}V{i}*01", "V", random_dna(rng, 300), 288) for i in range(4))
        j_genes = tuple(Gene(f"{name}J{i}*01", "J", random_dna(rng, 50), 20) for i in range(3))
        loci.append(Locus(name, v_genes, j_genes))
    return GermlineSet("synthetic", tuple(loci))


def rearrangement(germline: GermlineSet, locus: int, v: int, j: int, junction: str) -> str:
    """V (last 120 nt) + junction + J: a read of a clone of `germline`."""
    chosen = germline.loci[locus]
    return chosen.v_genes[v].sequence[-120:] + junction + chosen.j_genes[j].sequence


@pytest.fixture(scope="session")
def germline_set() -> GermlineSet:
    """The bundled human germline set."""
    return load_germline("human").germline_set


@pytest.fixture(scope="session")
def designer(germline_set: GermlineSet) -> Designer:
    return Designer(germline_set)


def gene(germline_set: GermlineSet, name: str) -> Gene:
    for locus in germline_set.loci:
        for found in locus.v_genes + locus.d_genes + locus.j_genes:
            if found.name == name:
                return found
    raise KeyError(name)
