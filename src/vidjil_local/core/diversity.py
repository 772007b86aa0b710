"""Diversity indices of a sample's clones, as Vidjil's `.vidjil` `diversity` gives them.

With N reads in S clones of n_i reads (p_i = n_i / N):

- Shannon's entropy `index_H_entropy`: H = -sum p_i ln p_i;
- Shannon's equitability `index_E_equitability`: E = H / ln N, vidjil-algo's definition (its
  files give E = H / ln N exactly); between 0 (one clone) and 1 (one read per clone);
- Simpson's diversity `index_Ds_diversity`: Ds = 1 - sum n_i (n_i - 1) / (N (N - 1)), the chance
  that two reads drawn without replacement belong to different clones;
- Pielou's evenness J = H / ln S, the textbook evenness (ours, `_index_J_pielou`).

Computed on clones (windows after clustering, so sequencing-error variants do not count as clones,
where vidjil-algo uses windows), spike-ins excluded. A sample with no read, or one clone, or one
read, has every index 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Diversity:
    shannon: float = 0.0  # H
    equitability: float = 0.0  # E = H / ln N
    simpson: float = 0.0  # Ds
    pielou: float = 0.0  # J = H / ln S
    clones: int = 0  # S
    reads: int = 0  # N


def diversity(counts: Iterable[int]) -> Diversity:
    """The indices of clones with these read counts (zeros are ignored)."""
    sizes = [count for count in counts if count > 0]
    reads = sum(sizes)
    if reads < 2 or len(sizes) < 2:
        return Diversity(clones=len(sizes), reads=reads)
    shannon = 0.0
    pairs = 0
    for size in sizes:
        fraction = size / reads
        shannon -= fraction * math.log(fraction)
        pairs += size * (size - 1)
    return Diversity(
        shannon=shannon,
        equitability=shannon / math.log(reads),
        simpson=1.0 - pairs / (reads * (reads - 1)),
        pielou=shannon / math.log(len(sizes)),
        clones=len(sizes),
        reads=reads,
    )
