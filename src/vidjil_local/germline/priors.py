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
from dataclasses import dataclass

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
