"""Merging the pairs of a chunk: the reads to analyse, and statistics that merge with `+=`.

Each pair gives its merged read; an unmerged pair gives what `Unmerged` says (R1, both mates, or
nothing), so a sample's read count is merged pairs plus the mates kept. The statistics count the
pairs, the merged ones by overlap length, and the unmerged ones by `MergeFailure`.
"""

from __future__ import annotations

from enum import IntEnum

from vidjil_local.core.merging import MERGED, MergeFailure, PairMerger


class Unmerged(IntEnum):
    """What is analysed of a pair that could not be merged."""

    R1 = 0  # its first mate (what Vidjil's FLASH pre-process keeps)
    BOTH = 1  # each mate, as two reads
    DROP = 2  # nothing: the sample is only its merged reads

    @property
    def label(self) -> str:
        return self.name.lower()


class MergeStatistics:
    """The pairs of a sample and what became of them."""

    def __init__(self) -> None:
        self.pairs = 0
        self.merged = 0
        self.failures: list[int] = [0] * (len(MergeFailure) + 1)  # indexed by MergeFailure
        self.kept = 0  # mates of unmerged pairs analysed
        self.staggered = 0  # merged pairs whose fragment is shorter than a mate
        self.mismatches = 0  # mismatches resolved in the overlaps
        self.overlaps: dict[int, int] = {}  # overlap length -> merged pairs

    def __reduce__(self) -> tuple[object, ...]:
        state = (
            self.pairs,
            self.merged,
            self.failures,
            self.kept,
            self.staggered,
            self.mismatches,
            self.overlaps,
        )
        return (_rebuild, state)

    def __repr__(self) -> str:
        return f"MergeStatistics(pairs={self.pairs}, merged={self.merged})"

    def __iadd__(self, other: MergeStatistics) -> MergeStatistics:
        self.pairs += other.pairs
        self.merged += other.merged
        for failure in range(len(self.failures)):
            self.failures[failure] += other.failures[failure]
        self.kept += other.kept
        self.staggered += other.staggered
        self.mismatches += other.mismatches
        for length, count in other.overlaps.items():
            self.overlaps[length] = self.overlaps.get(length, 0) + count
        return self

    def unmerged(self) -> dict[str, int]:
        """Unmerged pairs per `MergeFailure` label, for the failures that occurred."""
        return {
            failure.label: self.failures[failure]
            for failure in MergeFailure
            if self.failures[failure]
        }


def _rebuild(
    pairs: int,
    merged: int,
    failures: list[int],
    kept: int,
    staggered: int,
    mismatches: int,
    overlaps: dict[int, int],
) -> MergeStatistics:
    statistics = MergeStatistics()
    statistics.pairs = pairs
    statistics.merged = merged
    statistics.failures = failures
    statistics.kept = kept
    statistics.staggered = staggered
    statistics.mismatches = mismatches
    statistics.overlaps = overlaps
    return statistics


def merge_pairs(
    merger: PairMerger,
    reads1: list[str],
    qualities1: list[bytes],
    reads2: list[str],
    qualities2: list[bytes],
    unmerged: int,
    origins: list[int] | None = None,
) -> tuple[list[str], MergeStatistics]:
    """The reads to analyse for these pairs (mates at the same rank; qualities may be empty
    lists, for FASTA), and their statistics. `unmerged` is an `Unmerged` value. With `origins`,
    the rank of the pair of each read is appended to it."""
    statistics = MergeStatistics()
    reads: list[str] = []
    with_quality1 = len(qualities1) == len(reads1)
    with_quality2 = len(qualities2) == len(reads2)
    for number in range(len(reads1)):
        read1 = reads1[number]
        read2 = reads2[number]
        quality1 = qualities1[number] if with_quality1 else b""
        quality2 = qualities2[number] if with_quality2 else b""
        merged, outcome, overlap, mismatches = merger.merge(
            read1.encode("ascii"), quality1, read2.encode("ascii"), quality2
        )
        if origins is not None:
            origins += [number] * _reads_of(outcome, unmerged)
        if outcome == MERGED:
            reads.append(merged)
            _count_merged(
                statistics, overlap, mismatches, len(merged) < max(len(read1), len(read2))
            )
            continue
        statistics.failures[outcome] += 1
        if unmerged != Unmerged.DROP:
            reads.append(read1)
            statistics.kept += 1
        if unmerged == Unmerged.BOTH:
            reads.append(read2)
            statistics.kept += 1
    statistics.pairs = len(reads1)
    return reads, statistics


def _reads_of(outcome: int, unmerged: int) -> int:
    """How many reads a pair gives: its merged read, or what `unmerged` keeps of it."""
    if outcome == MERGED:
        return 1
    return 0 if unmerged == Unmerged.DROP else 2 if unmerged == Unmerged.BOTH else 1


def _count_merged(
    statistics: MergeStatistics, overlap: int, mismatches: int, staggered: bool
) -> None:
    statistics.merged += 1
    statistics.mismatches += mismatches
    if staggered:
        statistics.staggered += 1
    overlaps = statistics.overlaps
    overlaps[overlap] = overlaps.get(overlap, 0) + 1
