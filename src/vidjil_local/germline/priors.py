"""`priors.tsv`: optional usage and deletion priors of a germline set's V and J alleles.

An extension of Vidjil's format (Vidjil's own tools ignore the file). Columns `locus`,
`segment` (V or J), `allele`, `usage` (the allele's probability in a repertoire) and `deletions`
(comma-separated probabilities of 0, 1, 2, ... nucleotides deleted at the V 3' end or the J 5'
end); lines starting with `#` are comments. The designation uses them only to choose between
genes that a clone sequence matches equally or nearly equally well (see `core/_design_hits`).
The bundled human set has them for IGH, IGK, IGL, TRA and TRB, written by
`scripts/germline_priors.py` from the IGoR-inferred models shipped in `olga`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from vidjil_local.core.genes import Gene
from vidjil_local.errors import GermlineError

COLUMNS = ("locus", "segment", "allele", "usage", "deletions")


@dataclass(frozen=True)
class AllelePrior:
    usage: float
    deletions: tuple[float, ...]


Priors = dict[tuple[str, str, str], AllelePrior]  # (locus, segment, allele) -> prior


def parse_priors(text: str, path: str) -> Priors:
    """The priors in `text`, keyed by (locus, segment, allele); `GermlineError` on bad lines."""
    priors: Priors = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if not header_seen:
            if tuple(fields) != COLUMNS:
                raise _error(path, number, f"expected the columns {', '.join(COLUMNS)}")
            header_seen = True
            continue
        if len(fields) != len(COLUMNS):
            raise _error(path, number, f"expected {len(COLUMNS)} tab-separated fields")
        locus, segment, allele, usage, deletions = fields
        if segment not in ("V", "J"):
            raise _error(path, number, f"segment must be V or J, not {segment!r}")
        priors[(locus, segment, allele)] = AllelePrior(
            _probability(usage, path, number),
            tuple(_probability(value, path, number) for value in deletions.split(",")),
        )
    return priors


def genes_with_priors(genes: tuple[Gene, ...], locus: str, priors: Priors) -> tuple[Gene, ...]:
    """`genes` with their priors, those of `locus` or, in an incomplete or unusual system, those
    of the gene's own locus (the TRAJ genes of TRA+D take TRA's). When some of them have priors,
    those without (alleles of an imported set that the priors do not list) get a neutral one:
    the listed alleles' mean usage and their usage-weighted deletion profile, so they neither
    win nor lose ties by it."""
    found = [_prior(priors, locus, gene) for gene in genes]
    listed = [prior for prior in found if prior is not None]
    if not listed:
        return genes
    neutral = _average(listed)
    return tuple(
        replace(gene, usage=prior.usage, deletions=prior.deletions)
        for gene, prior in zip(genes, [prior or neutral for prior in found], strict=True)
    )


def _prior(priors: Priors, locus: str, gene: Gene) -> AllelePrior | None:
    found = priors.get((locus, gene.segment, gene.name))
    if found is None and "+" in locus:
        found = priors.get((gene.name[:3], gene.segment, gene.name))  # "TRAJ29*01" -> TRA
    return found


def _average(priors: list[AllelePrior]) -> AllelePrior:
    usage = sum(prior.usage for prior in priors) / len(priors)
    weights = [prior.usage for prior in priors] if usage > 0 else [1.0] * len(priors)
    length = max(len(prior.deletions) for prior in priors)
    deletions = [0.0] * length
    for prior, weight in zip(priors, weights, strict=True):
        for deleted, probability in enumerate(prior.deletions):
            deletions[deleted] += weight * probability
    total = sum(weights)
    return AllelePrior(usage, tuple(value / total for value in deletions))


def _probability(value: str, path: str, line: int) -> float:
    try:
        probability = float(value)
    except ValueError:
        raise _error(path, line, f"not a probability: {value!r}") from None
    if not (math.isfinite(probability) and 0.0 <= probability <= 1.0):
        raise _error(path, line, f"not a probability between 0 and 1: {value!r}")
    return probability


def _error(path: str, line: int, message: str) -> GermlineError:
    return GermlineError(f"{path}:{line}: {message}", path=path, line=line)
