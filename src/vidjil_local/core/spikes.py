"""Spike-in normalisation: synthetic clones added in known copy numbers turn reads into cells.

A lab adds spike-ins (synthetic rearrangements, each in a known number of copies) to the DNA
before amplification. Their reads, against their copies, give the sample's reads-to-cells
factor, as Vidjil's `spike-normalization.py` (Boldrini Center) computes it:

- the spike-ins of one copy number are averaged (mean reads per copy number);
- the coefficient, in copies per read, is the least-squares slope of copies against those
  means through the origin: sum(copies x reads) / sum(reads^2) (Vidjil's universal, `UNI`
  coefficient; Vidjil's own example uses it for every clone);
- with at most `DIAGNOSIS_MAX_READS` mean reads for every copy number, there is nothing to fit
  (a diagnosis sample, amplified without spike-ins, or a failed spike): no normalisation;
- a clone's copy number is its reads x coefficient, and its normalised value (Vidjil's
  `normalized_reads`, the MRD estimate) its copies / the cells of the amplified DNA
  (`DNA_CELLS`, 100,000 for 600 ng, Vidjil's constant).

The limit of detection of a sample is one cell of its DNA or 3 reads, whichever is more reads:
a clone under it may be there or be noise (a read from another sample, an error).

Spike-ins are found by their windows: a clone whose head window lies in a spike-in sequence
(either strand) is that spike-in, never a clone of the sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DIAGNOSIS_MAX_READS = 20.0  # Vidjil's DIAGMAX
DNA_CELLS = 100_000  # cells in 600 ng of DNA (Vidjil's NG600)
LOD_MIN_READS = 3
UNIVERSAL = "UNI"
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


@dataclass(frozen=True)
class Spike:
    """A spike-in: its name, its sequence (a synthetic rearrangement) and its copies."""

    name: str
    sequence: str
    copies: float
    family: str = ""


@dataclass(frozen=True)
class Normalization:
    """The reads-to-cells factor of one sample."""

    coefficient: float  # copies per read (Vidjil's UNI coefficient)
    r2: float | None  # Pearson's r^2 of the fit, None when undefined (one copy number)
    spike_reads: int
    amplification: float  # reads of the prevalent locus per spike-in read (`ampl_coeff`)
    prevalent: str  # the locus with the most reads
    dna_cells: int = DNA_CELLS

    def copies(self, reads: int) -> float:
        return reads * self.coefficient

    def normalized(self, reads: int) -> float:
        """Vidjil's `normalized_reads`: copies per cell of the amplified DNA."""
        return reads * self.coefficient / self.dna_cells


@dataclass(frozen=True)
class LimitOfDetection:
    reads: float  # clones with fewer reads are below the limit of detection
    fraction: float  # the same, as a fraction of the sample's segmented reads
    basis: str  # "one cell" or "3 reads": which bound is the limit


class SpikeFinder:
    """Tells which spike-in a window comes from."""

    def __init__(self, spikes: list[Spike]) -> None:
        self.spikes = spikes
        self.strands = [
            (spike.sequence.upper(), spike.sequence.upper().translate(_COMPLEMENT)[::-1])
            for spike in spikes
        ]

    def spike_of(self, window: str) -> int:
        """The index of the spike-in holding `window`, -1 for none."""
        for number, (forward, reverse) in enumerate(self.strands):
            if window in forward or window in reverse:
                return number
        return -1


def normalize(
    spikes: list[Spike], spike_reads: list[int], per_locus: dict[str, int], dna_cells: int
) -> Normalization | None:
    """The sample's factor from its reads of each spike-in, None when there is nothing to fit."""
    copy_numbers = sorted({spike.copies for spike in spikes})
    means = []
    for copies in copy_numbers:
        reads = [
            count
            for spike, count in zip(spikes, spike_reads, strict=True)
            if spike.copies == copies
        ]
        means.append(sum(reads) / len(reads))
    if not means or max(means) <= DIAGNOSIS_MAX_READS:
        return None
    # math.fsum: mypyc types sum() of floats as an int
    products = math.fsum(c * m for c, m in zip(copy_numbers, means, strict=True))
    slope = products / math.fsum(m * m for m in means)
    total = sum(spike_reads)
    prevalent, prevalent_reads = _prevalent(per_locus)
    return Normalization(
        coefficient=slope,
        r2=_r2(means, copy_numbers),
        spike_reads=total,
        amplification=prevalent_reads / total if total else 0.0,
        prevalent=prevalent,
        dna_cells=dna_cells,
    )


def _prevalent(per_locus: dict[str, int]) -> tuple[str, int]:
    """The locus with the most reads, its variants ("IGH+") counted with it, as Vidjil."""
    reads: dict[str, int] = {}
    for locus, count in per_locus.items():
        reads[locus[:3]] = reads.get(locus[:3], 0) + count
    if not reads:
        return "", 0
    best = max(reads, key=lambda locus: reads[locus])
    return best, reads[best]


def _r2(x: list[float], y: list[float]) -> float | None:
    """Pearson's r^2, as `spike-normalization.py` computes it."""
    n = len(x)
    sum_x, sum_y = math.fsum(x), math.fsum(y)
    sum_xy = math.fsum(a * b for a, b in zip(x, y, strict=True))
    sum_xx, sum_yy = math.fsum(a * a for a in x), math.fsum(b * b for b in y)
    denominator = (n * sum_xx - sum_x * sum_x) * (n * sum_yy - sum_y * sum_y)
    if denominator <= 0:
        return None
    return (n * sum_xy - sum_x * sum_y) ** 2 / denominator


def limit_of_detection(
    segmented: int, normalization: Normalization | None, dna_cells: int
) -> LimitOfDetection:
    """One cell of the amplified DNA or `LOD_MIN_READS` reads, whichever is more reads.

    One cell is 1 / coefficient reads with spike-ins, else segmented reads / DNA cells (every
    cell amplified alike: an estimate)."""
    if normalization is not None and normalization.coefficient > 0:
        one_cell = 1.0 / normalization.coefficient
    else:
        one_cell = segmented / dna_cells if dna_cells > 0 else 0.0
    reads = max(float(LOD_MIN_READS), one_cell)
    basis = "one cell" if one_cell > LOD_MIN_READS else f"{LOD_MIN_READS} reads"
    return LimitOfDetection(reads, reads / segmented if segmented else 0.0, basis)
