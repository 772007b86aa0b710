"""Simulated repertoires made inside the tests: random V(D)J-like clones of the bundled germline
set, and reads sampled from them (sequencing errors, both strands), written as FASTQ.

The shared simulator (OLGA models, `/work/shared/tools/simulate_repertoire.py`) makes the small
fixtures under `tests/data/`; samples too large for the repository (a 200,000-read follow-up) are
made here, the same way: a read is a stretch of its clone holding the whole junction with at
least 40 nt of V before it and 20 nt of J after it.
"""

from __future__ import annotations

import gzip
import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path

from vidjil_local.core.genes import Gene, GermlineSet
from vidjil_local.core.spikes import Spike

_COMPLEMENT = str.maketrans("ACGT", "TGCA")
MIN_V = 40
MIN_J = 20
READS_PER_COPY = 20.0
LEUKEMIC_COPIES = 25


@dataclass(frozen=True)
class Clone:
    sequence: str
    junction_start: int  # first nt of the V Cys codon
    junction_end: int  # past the J Phe/Trp codon


def random_clone(germline_set: GermlineSet, locus: str, rng: random.Random) -> Clone:
    """V (3' end trimmed by 0-6 nt, Cys kept) + 3-12 random nt + J (5' end trimmed by 0-6 nt)."""
    v_genes, j_genes = _anchored(germline_set, locus)
    v = v_genes[int(rng.random() * len(v_genes))]
    j = j_genes[int(rng.random() * len(j_genes))]
    v_kept = max(v.anchor + 3, len(v.sequence) - int(rng.random() * 7))
    j_deleted = min(j.anchor, int(rng.random() * 7))
    insertion = "".join(rng.choices("ACGT", k=3 + int(rng.random() * 10)))
    sequence = v.sequence[:v_kept] + insertion + j.sequence[j_deleted:]
    junction_end = v_kept + len(insertion) + j.anchor - j_deleted + 3
    return Clone(sequence, v.anchor, junction_end)


_ANCHORED: dict[tuple[int, str], tuple[list[Gene], list[Gene]]] = {}


def _anchored(germline_set: GermlineSet, locus: str) -> tuple[list[Gene], list[Gene]]:
    """The genes with an anchor (cached by identity: hashing a germline set hashes its genes)."""
    key = (id(germline_set), locus)
    if key not in _ANCHORED:
        chosen = germline_set.locus(locus)
        _ANCHORED[key] = (
            [gene for gene in chosen.v_genes if gene.anchor >= 0],
            [gene for gene in chosen.j_genes if gene.anchor >= 0],
        )
    return _ANCHORED[key]


def reads_of(clone: Clone, count: int, rng: random.Random, error_rate: float = 0.001) -> list[str]:
    """`count` reads of 150-250 nt (at most the clone) holding the junction, half reversed."""
    reads = []
    for _ in range(count):
        length = min(len(clone.sequence), 150 + int(rng.random() * 101))
        lowest = max(0, clone.junction_end + MIN_J - length)
        highest = max(lowest, min(clone.junction_start - MIN_V, len(clone.sequence) - length))
        start = lowest + int(rng.random() * (highest - lowest + 1))
        read = _with_errors(clone.sequence[start : start + length], rng, error_rate)
        reads.append(read.translate(_COMPLEMENT)[::-1] if rng.random() < 0.5 else read)
    return reads


def _with_errors(read: str, rng: random.Random, error_rate: float) -> str:
    """Substitutions at `error_rate` per nt: the gaps between errors are geometric."""
    if error_rate <= 0:
        return read
    position = -1
    while True:
        position += 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - error_rate))
        if position >= len(read):
            return read
        other = "ACGT".replace(read[position], "")[int(rng.random() * 3) % 3 :][:1] or "A"
        read = read[:position] + other + read[position + 1 :]


def power_law_sizes(total: int, rng: random.Random, largest: int) -> list[int]:
    """Clone sizes adding up to `total`, P(size) ~ size^-2 up to `largest` (a polyclonal
    background, as the shared simulator draws it)."""
    cumulative = list(itertools.accumulate(1.0 / size**2 for size in range(1, largest + 1)))
    drawn = rng.choices(range(1, largest + 1), cum_weights=cumulative, k=total)
    sizes: list[int] = []
    left = total
    for size in drawn:
        if left <= 0:
            break
        sizes.append(min(size, left))
        left -= sizes[-1]
    return sizes


def poisson(mean: float, rng: random.Random) -> int:
    """A Poisson draw (normal approximation above 50): an amplification's read count."""
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def background(
    germline_set: GermlineSet, locus: str, reads: int, rng: random.Random, largest: int
) -> list[str]:
    """A polyclonal background of `reads` reads in random clones of `locus`."""
    found: list[str] = []
    for size in power_law_sizes(reads, rng, largest):
        found += reads_of(random_clone(germline_set, locus, rng), size, rng)
    return found


def write_fastq(reads: list[str], path: Path, rng: random.Random) -> None:
    """The reads, shuffled, as gzipped FASTQ (qualities all 'I')."""
    shuffled = list(reads)
    rng.shuffle(shuffled)
    lines = []
    for number, read in enumerate(shuffled, start=1):
        lines.append(f"@r{number}\n{read}\n+\n{'I' * len(read)}\n")
    path.write_bytes(gzip.compress("".join(lines).encode("ascii"), 1))


def spiked_follow_up(igh: GermlineSet, path: Path) -> tuple[list[Spike], str]:
    """Two families of spike-ins at 10, 40 and 160 copies, a leukemic clone at 25 copies, each
    amplified to a Poisson number of reads (20 per copy), in a polyclonal background."""
    rng = random.Random(13)
    spikes, reads = [], []
    for family in ("A", "B"):
        for copies in (10, 40, 160):
            spike = random_clone(igh, "IGH", rng)
            spikes.append(Spike(f"{family}{copies}", spike.sequence, copies, family))
            reads += reads_of(spike, poisson(READS_PER_COPY * copies, rng), rng)
    leukemic = random_clone(igh, "IGH", rng)
    reads += reads_of(leukemic, poisson(READS_PER_COPY * LEUKEMIC_COPIES, rng), rng)
    reads += background(igh, "IGH", 6000, rng, 30)
    write_fastq(reads, path, rng)
    return spikes, leukemic.sequence
