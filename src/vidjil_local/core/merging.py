"""Paired-end merging: the two mates of a fragment become one read, by a quality-aware consensus.

Reads are ASCII bytes of `ACGTN`, qualities Phred+33 bytes (or empty when unknown). R2 is
reverse-complemented and placed at offset `d` of R1: R1 covers [0, len1) of the fragment and R2
covers [d, d + len2). R1 starts at the fragment's start and R2 at its end, so the merged read is
always [0, d + len2): R1 alone, the overlap, then R2 alone. When the fragment is shorter than a
read (`d < 0` or `d + len2 < len1`: a *staggered* pair, FLASH's "outie"), what a mate reads past
the other mate's start is adapter, and is left out.

Choosing `d`:
1. seeds: the 12-nt start of R2 is looked up in R1, then if need be the end of R1 in R2 and, for
   staggered pairs, the start of R1 in R2 and the end of R2 in R1 (`bytes.find`, every
   occurrence); each hit is a candidate offset;
2. when no candidate scores `SEED` or more, every offset is considered, as FLASH's exhaustive
   search does (short overlaps, overlaps too noisy for any seed): the positions where the mates
   agree on purine / pyrimidine, for all offsets at once, are the digits of two products of big
   integers (correlations); only the offsets where they are enough for the mismatch density are
   then compared base by base;
3. an offset is valid with at least `min_overlap` called positions (an `N` on either side does
   not count) and a mismatch density (mismatches over called positions, these capped at
   `max_overlap` when it is set, as FLASH does) of at most `max_mismatch_density`; a staggered
   offset also needs an overlap of `2 * SEED` nt (the overlap is then the whole fragment);
4. the valid offset with the best score (matches - 3 x mismatches: a mismatch is about three
   times less likely in a true overlap than a match is in a chance one; FLASH's lowest density
   would take a perfect 10-nt chance overlap over a true 100-nt one with a sequencing error)
   wins; on equal scores, the lower sum of the lesser quality at the mismatches (FLASH's
   tie-break); still equal at two offsets (repeats), the pair is `ambiguous` and not merged.

Consensus in the overlap: where the mates agree, their base; where one has `N`, the other's;
otherwise the base of higher quality, and on equal qualities the base nearer the start of its
own read (sequencing errors grow along a read).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

SEED: Final = 12
STAGGERED_MIN: Final = 2 * SEED
MISMATCH_COST: Final = 3
DEFAULT_MIN_OVERLAP: Final = 10  # FLASH's defaults
DEFAULT_MAX_MISMATCH_DENSITY: Final = 0.25
_COMPLEMENT: Final = bytes.maketrans(b"ACGTN", b"TGCAN")
_NONE: Final = -(10**9)  # no candidate offset
_N: Final = 78  # ord("N")


class MergeFailure(IntEnum):
    """Why a pair was not merged: the one list used by statistics, reports and the UI."""

    NO_OVERLAP = 1  # no offset with min_overlap called positions and few enough mismatches
    AMBIGUOUS = 2  # two offsets fit equally well (repeats)
    SHORT_MATE = 3  # a mate shorter than min_overlap

    @property
    def label(self) -> str:
        return self.name.lower()


MERGED: Final = 0
_NO_OVERLAP: Final = 1
_AMBIGUOUS: Final = 2
_SHORT_MATE: Final = 3

# (merged read or "", MERGED or a MergeFailure, overlap length, mismatches in the overlap)
Merged = tuple[str, int, int, int]


def _indicator(bases: bytes) -> bytes:
    """A `bytes.translate` table: `bases` -> 1, any other byte -> 0."""
    table = bytearray(256)
    for base in bases:
        table[base] = 1
    return bytes(table)


_PURINE: Final = _indicator(b"AG")
_PYRIMIDINE: Final = _indicator(b"CT")  # in R2 as sequenced: a purine of the placed mate
_BYTE: Final = [bytes([code]) for code in range(256)]


class _Pair:
    """The mates of one pair while it is merged, and the best offset found so far."""

    def __init__(self, read1: bytes, quality1: bytes, read2: bytes, quality2: bytes) -> None:
        self.read1 = read1
        self.read2 = read2
        self.mate2 = read2.translate(_COMPLEMENT)[::-1]
        self.length1 = len(read1)
        self.length2 = len(read2)
        self.quality1 = quality1
        self.quality2 = quality2  # as sequenced: position j of mate2 is length2 - 1 - j here
        self.with_quality = len(quality1) == self.length1 and len(quality2) == self.length2
        self.with_n = _N in read1 or _N in read2
        self.offset = _NONE
        self.score = _NONE
        self.quality = 0
        self.overlap = 0
        self.mismatches = 0
        self.differences: list[int] = []  # the best offset's mismatches, in R1's coordinates
        self.tied = False

    def bounds(self, offset: int) -> tuple[int, int]:
        """The overlap of `offset`, [start, end) in R1's coordinates."""
        return max(offset, 0), min(self.length1, offset + self.length2)

    def staggered(self, offset: int) -> bool:
        return offset < 0 or offset + self.length2 < self.length1


class PairMerger:
    """Merges the mates of a pair; the settings mean what FLASH's options of the same name do."""

    def __init__(
        self,
        min_overlap: int = DEFAULT_MIN_OVERLAP,
        max_overlap: int = 0,
        max_mismatch_density: float = DEFAULT_MAX_MISMATCH_DENSITY,
    ) -> None:
        if min_overlap < 1:
            raise ValueError(f"min_overlap must be positive, not {min_overlap}")
        if max_overlap < 0:
            raise ValueError(f"max_overlap must be 0 (no cap) or positive, not {max_overlap}")
        if not 0 <= max_mismatch_density < 1:
            raise ValueError(f"max_mismatch_density must be in [0, 1), not {max_mismatch_density}")
        self.min_overlap = min_overlap
        self.max_overlap = max_overlap  # 0: the whole overlap counts in the density
        self.max_mismatch_density = max_mismatch_density
        self._needed_cache: dict[tuple[int, int], bytes] = {}

    def __repr__(self) -> str:
        return (
            f"PairMerger(min_overlap={self.min_overlap}, max_overlap={self.max_overlap}, "
            f"max_mismatch_density={self.max_mismatch_density})"
        )

    def merge(self, read1: bytes, quality1: bytes, read2: bytes, quality2: bytes) -> Merged:
        """Merge R1 with R2 as sequenced (not reverse-complemented)."""
        if len(read1) < self.min_overlap or len(read2) < self.min_overlap:
            return "", _SHORT_MATE, 0, 0
        pair = _Pair(read1, quality1, read2, quality2)
        self._seeds(pair)
        if pair.score < SEED:
            self._every_offset(pair)
        if pair.offset == _NONE:
            return "", _NO_OVERLAP, 0, 0
        if pair.tied:
            return "", _AMBIGUOUS, 0, 0
        return _consensus(pair).decode("ascii"), MERGED, pair.overlap, pair.mismatches

    def _seeds(self, pair: _Pair) -> None:
        """Offsets where the end of a mate is found exactly in the other one."""
        if pair.length1 < SEED or pair.length2 < SEED:
            return
        read1 = pair.read1
        mate2 = pair.mate2
        self._hits(pair, mate2[:SEED], 0, True)  # R2's start: where the overlap starts
        if pair.score >= STAGGERED_MIN:
            return  # a chance overlap of this score after an exact seed is too unlikely
        end1 = pair.length1 - SEED
        end2 = pair.length2 - SEED
        self._hits(pair, read1[end1:], end1, False)  # R1's end: where the overlap ends
        self._hits(pair, read1[:SEED], 0, False)  # staggered: R1's start in R2
        self._hits(pair, mate2[end2:], end2, True)  # staggered: R2's end in R1

    def _hits(self, pair: _Pair, seed: bytes, seed_start: int, from_mate2: bool) -> None:
        """Try each occurrence of `seed` (taken at `seed_start` of R2 when `from_mate2`, else
        of R1) in the other mate."""
        if pair.with_n and _N in seed:
            return
        text = pair.read1 if from_mate2 else pair.mate2
        stop = len(text)
        found = text.find(seed)
        while found >= 0:
            offset = found - seed_start if from_mate2 else seed_start - found
            self._try(pair, offset)
            if from_mate2 and pair.offset != _NONE:
                # further on, R2 starts later in R1: the overlap, and so the score, can only
                # reach the best score where R2 starts at R1's length minus that score or before
                stop = min(stop, pair.length1 - pair.score + seed_start + SEED)
            found = text.find(seed, found + 1, stop)

    def _try(self, pair: _Pair, offset: int) -> None:
        """Score `offset` and keep it if it is valid and at least as good as the best."""
        if offset == pair.offset:
            return
        start, end = pair.bounds(offset)
        if end - start < self.min_overlap:
            return
        if pair.staggered(offset) and end - start < STAGGERED_MIN:
            return
        limit = int(self.max_mismatch_density * self._counted(end - start))
        differences: list[int] = []
        called, quality = _compare(pair, offset, limit, differences)
        self._keep(pair, offset, called, len(differences), quality, differences)

    def _keep(
        self,
        pair: _Pair,
        offset: int,
        called: int,
        mismatches: int,
        quality: int,
        differences: list[int],
    ) -> None:
        if called < self.min_overlap:
            return
        if mismatches > self.max_mismatch_density * self._counted(called):
            return
        score = called - (MISMATCH_COST + 1) * mismatches
        if score < pair.score or (score == pair.score and quality > pair.quality):
            return
        pair.tied = score == pair.score and quality == pair.quality
        start, end = pair.bounds(offset)
        pair.offset = offset
        pair.score = score
        pair.quality = quality
        pair.overlap = end - start
        pair.mismatches = mismatches
        pair.differences = differences

    def _counted(self, called: int) -> int:
        """The length over which the mismatch density is measured (FLASH's max_overlap)."""
        return called if self.max_overlap <= 0 else min(called, self.max_overlap)

    def _every_offset(self, pair: _Pair) -> None:
        """Try every offset that may hold a valid overlap: those where the mates agree on
        purine / pyrimidine at enough positions (an upper bound of the matches) for the
        mismatch density. The agreements of all offsets come from two products (see
        `_correlation`); the offsets that pass are then compared base by base."""
        length1 = pair.length1
        length2 = pair.length2
        if pair.with_n:  # rare: try them all
            for offset in range(self.min_overlap - length2, length1 - self.min_overlap + 1):
                self._try(pair, offset)
            return
        agreeing = (
            _correlation(pair.read1.translate(_PURINE), pair.read2.translate(_PYRIMIDINE))
            + _correlation(pair.read1.translate(_PYRIMIDINE), pair.read2.translate(_PURINE))
        ).to_bytes(2 * (length1 + length2), "little")
        needed = self._needed(length1, length2)
        if min(length1, length2) <= 255:
            for index in range(len(needed)):
                if agreeing[index] >= needed[index]:
                    self._try(pair, index - length2 + 1)
            return
        for index in range(0, len(needed), 2):
            if agreeing[index] | agreeing[index + 1] << 8 >= needed[index] | needed[index + 1] << 8:
                self._try(pair, index // 2 - length2 + 1)

    def _needed(self, length1: int, length2: int) -> bytes:
        """For every offset (as digits of `_correlation`), the fewest agreeing positions a
        valid overlap has; the largest digit where none can be valid. Cached per lengths."""
        key = (length1, length2)
        found = self._needed_cache.get(key)
        if found is not None:
            return found
        wide = min(length1, length2) > 255
        digits: list[int] = []
        for offset in range(1 - length2, length1):
            overlap = min(length1, offset + length2) - max(offset, 0)
            staggered = offset < 0 or offset + length2 < length1
            if overlap < self.min_overlap or (staggered and overlap < STAGGERED_MIN):
                digits.append(0xFFFF if wide else 0xFF)
            else:
                digits.append(overlap - int(self.max_mismatch_density * self._counted(overlap)))
        found = b"".join(digit.to_bytes(2 if wide else 1, "little") for digit in digits)
        if len(self._needed_cache) >= 1024:  # read lengths vary after trimming
            self._needed_cache.clear()
        self._needed_cache[key] = found
        return found


def _correlation(indicator1: bytes, indicator2: bytes) -> int:
    """How many positions hold 1 in both R1's `indicator1` and R2's `indicator2` (R2 as
    sequenced), for every offset of R2 reverse-complemented on R1: digit `offset + len2 - 1`
    of the product of the two written as base-256 numbers (65536 for reads over 255 nt, so
    that a digit never overflows). R2 is read backwards from its end on the merged read, which
    is exactly what a product (a convolution) does."""
    wide = min(len(indicator1), len(indicator2)) > 255
    return _number(indicator1, wide) * _number(indicator2, wide)


def _number(digits: bytes, wide: bool) -> int:
    if not wide:
        return int.from_bytes(digits, "little")
    spread = bytearray(2 * len(digits))
    spread[::2] = digits
    return int.from_bytes(spread, "little")


def _compare(pair: _Pair, offset: int, limit: int, differences: list[int]) -> tuple[int, int]:
    """(called positions, sum of the lesser quality at the mismatches) of the overlap at
    `offset`, and its mismatches (R1 positions) added to `differences`; stops once these exceed
    `limit` (unless it is negative)."""
    start, end = pair.bounds(offset)
    read1 = pair.read1
    mate2 = pair.mate2
    if not pair.with_n and read1[start:end] == mate2[start - offset : end - offset]:
        return end - start, 0
    called = 0
    quality = 0
    last2 = pair.length2 - 1 + offset  # quality2[last2 - position] is mate2's at position
    for position in range(start, end):
        base1 = read1[position]
        base2 = mate2[position - offset]
        if base1 == base2:
            if base1 != _N:
                called += 1
        elif base1 != _N and base2 != _N:
            called += 1
            differences.append(position)
            if len(differences) > limit >= 0:
                break
            if pair.with_quality:
                quality += min(pair.quality1[position], pair.quality2[last2 - position]) - 33
    return called, quality


def _consensus(pair: _Pair) -> bytes:
    """The merged read: [0, offset + len2) in R1's coordinates."""
    offset = pair.offset
    start, end = pair.bounds(offset)
    tail = pair.mate2[end - offset :] if end == pair.length1 else b""
    merged = pair.read1[:end] + tail
    if pair.with_n:
        return _fill_n(pair, merged, start, end)
    if not pair.differences:
        return merged
    pieces: list[bytes] = []
    done = 0
    for position in pair.differences:
        base = _resolve(pair, position)
        if base != merged[position]:
            pieces.append(merged[done:position])
            pieces.append(_BYTE[base])
            done = position + 1
    pieces.append(merged[done:])
    return b"".join(pieces)


def _fill_n(pair: _Pair, merged: bytes, start: int, end: int) -> bytes:
    """`_consensus` when a mate has `N`s: the other mate's base replaces them."""
    changed = bytearray(merged)
    for position in range(start, end):
        base1 = pair.read1[position]
        base2 = pair.mate2[position - pair.offset]
        if base1 != base2 and base2 != _N:
            changed[position] = base2 if base1 == _N else _resolve(pair, position)
    return bytes(changed)


def _resolve(pair: _Pair, position: int) -> int:
    """At a mismatch, the base of higher quality; on equal qualities, the base nearer the start
    of its read as sequenced (R2 is read from the merged read's end)."""
    from_start2 = pair.length2 - 1 - (position - pair.offset)
    base1 = pair.read1[position]
    base2 = pair.mate2[position - pair.offset]
    if pair.with_quality:
        quality1 = pair.quality1[position]
        quality2 = pair.quality2[from_start2]
        if quality1 != quality2:
            return base1 if quality1 > quality2 else base2
    return base1 if position <= from_start2 else base2
