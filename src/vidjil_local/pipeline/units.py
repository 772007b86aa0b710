"""Units of work: the chunks of each sample's reads, single reads or pairs of mates.

A sample is one reads file, or a pair of files whose reads are mates (R1, R2). `iter_units`
yields, sample after sample, what the runners send to a process (`Unit.payload`: the reads of
a chunk, or the mates and their qualities) with what they keep (sample, progress, read names);
`UnitWork` turns a payload into a `ChunkResult`, merging the mates first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vidjil_local.core.detection import Detector
from vidjil_local.core.merge_stats import MergeStatistics, Unmerged, merge_pairs
from vidjil_local.core.merging import (
    DEFAULT_MAX_MISMATCH_DENSITY,
    DEFAULT_MIN_OVERLAP,
    PairMerger,
)
from vidjil_local.core.windows import ChunkResult, detect_chunk
from vidjil_local.reads import iter_chunks, iter_pairs

Pair = tuple[Path, Path]  # R1, R2
SampleInput = Path | Pair
# the reads of R1 and their qualities, the reads of R2 and theirs (empty lists for FASTA)
PairedReads = tuple[list[str], list[bytes], list[str], list[bytes]]
Payload = list[str] | PairedReads
UnmergedChoice = Literal["r1", "both", "drop"]
UNMERGED_CHOICES: tuple[UnmergedChoice, ...] = ("r1", "both", "drop")


@dataclass(frozen=True)
class MergeOptions:
    """How the mates of paired samples are merged (FLASH's option names and defaults), and
    what is analysed of a pair that cannot be: R1, both mates, or nothing."""

    min_overlap: int = DEFAULT_MIN_OVERLAP
    max_overlap: int = 0  # 0: the whole overlap counts in the mismatch density
    max_mismatch_density: float = DEFAULT_MAX_MISMATCH_DENSITY
    unmerged: UnmergedChoice = "r1"

    def __post_init__(self) -> None:
        if self.unmerged not in UNMERGED_CHOICES:
            raise ValueError(f"unmerged must be one of {', '.join(UNMERGED_CHOICES)}")
        self.merger()  # checks the numbers

    def merger(self) -> PairMerger:
        return PairMerger(self.min_overlap, self.max_overlap, self.max_mismatch_density)


@dataclass(frozen=True)
class Unit:
    """A chunk of one sample: `bytes_read` of its file(s) so far, the payload, and the names of
    its reads (of R1 for pairs), which stay in this process."""

    sample: int
    bytes_read: int
    payload: Payload
    names: list[str]


def iter_units(inputs: Sequence[SampleInput], chunk_size: int) -> Iterator[Unit]:
    """The units of every input, in order; raises `InputFormatError` as `reads` does."""
    for sample, item in enumerate(inputs):
        if isinstance(item, tuple):
            chunks = iter_pairs(item[0], item[1], chunk_size, keep_qualities=True)
            for first, second in chunks:
                paired = (first.sequences, first.qualities, second.sequences, second.qualities)
                done = first.bytes_read + second.bytes_read
                yield Unit(sample, done, paired, first.names)
        else:
            for chunk in iter_chunks([item], chunk_size):
                yield Unit(sample, chunk.bytes_read, chunk.sequences, chunk.names)


def input_size(item: SampleInput) -> int:
    """Bytes stored of an input (both files of a pair), 0 when unknown."""
    paths = item if isinstance(item, tuple) else (item,)
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def input_name(item: SampleInput) -> str:
    """How a sample is named in results: its file name, `R1 + R2` for a pair."""
    return f"{item[0].name} + {item[1].name}" if isinstance(item, tuple) else item.name


class UnitWork:
    """Detects the reads of a payload, merging mates first: one per process."""

    def __init__(self, detector: Detector, merging: MergeOptions) -> None:
        self.detector = detector
        self.merger = merging.merger()
        self.unmerged = int(Unmerged[merging.unmerged.upper()])

    def __call__(self, payload: Payload) -> ChunkResult:
        if isinstance(payload, list):
            return detect_chunk(self.detector, payload)
        reads, statistics = self.reads_of(payload)
        result = detect_chunk(self.detector, reads)
        result.merging = statistics
        return result

    def reads_of(
        self, paired: PairedReads, origins: list[int] | None = None
    ) -> tuple[list[str], MergeStatistics]:
        return merge_pairs(self.merger, *paired, self.unmerged, origins)
