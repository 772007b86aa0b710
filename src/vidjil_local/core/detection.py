"""Per-read detection: locus, strand, V and J k-mer positions, e-values, and the junction window.

Steps for one read, in this order (the first that fails names the `Reason`):
1. scan every spaced-seed k-mer against the `KmerIndex` (one pass for all loci);
2. count hits per class (locus, V or J, strand) and score each (locus, strand) with e-values:
   the chance of seeing that many hits in a random read of that length;
3. keep the (locus, strand) with significant V *and* J hits and the most hits; reject reads
   whose hits fall on both strands or on two loci equally;
4. on the forward-oriented read, split V hits from J hits where the most of them agree, and
   centre a window of `window_length` nt on the gap between the last V k-mer and the first J
   k-mer. A window that overflows the read by at most `MAX_WINDOW_SHIFT` nt is shifted inside.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from enum import IntEnum
from typing import Final

from vidjil_local.core.kmers import ENCODING, SEED_SPAN, TABLE_SIZE, KmerIndex, reverse_complement

MAX_WINDOW_SHIFT: Final = 10
DEFAULT_WINDOW_LENGTH: Final = 50
DEFAULT_EVALUE: Final = 1.0


class Reason(IntEnum):
    """Why a read is (not) segmented: the one list used by statistics, reports and the UI."""

    SEGMENTED = 0
    TOO_SHORT = 1  # shorter than a k-mer
    TOO_FEW_KMERS = 2  # no significant V nor J hits
    ONLY_V = 3  # V hits, not enough J (the read does not reach the junction's 3' side)
    ONLY_J = 4
    AMBIGUOUS_STRAND = 5  # significant hits on both strands
    AMBIGUOUS_LOCUS = 6  # two loci explain the read equally
    AMBIGUOUS = 7  # V and J hits interleaved
    TOO_CLOSE = 8  # V and J hits overlap too much for a junction
    TOO_SHORT_FOR_WINDOW = 9  # junction found, the read cannot hold the window

    @property
    def label(self) -> str:
        return self.name.lower()


# plain ints for the hot path (enum attribute access is slow even when compiled)
_SEGMENTED: Final = 0
_TOO_SHORT: Final = 1
_TOO_FEW_KMERS: Final = 2
_ONLY_V: Final = 3
_ONLY_J: Final = 4
_AMBIGUOUS_STRAND: Final = 5
_AMBIGUOUS_LOCUS: Final = 6
_AMBIGUOUS: Final = 7
_TOO_CLOSE: Final = 8
_TOO_SHORT_FOR_WINDOW: Final = 9


class Detection:
    """The outcome for one read. Fields other than `reason` are meaningful when segmented."""

    def __init__(self, reason: int, locus: int = -1, reverse: bool = False) -> None:
        self.reason = reason
        self.locus = locus  # index in the germline set
        self.reverse = reverse  # the read is the reverse complement of the rearrangement
        self.sequence = ""  # the read, forward-oriented
        self.window_start = -1
        self.window = ""
        self.v_end = -1  # end of the last V k-mer, on `sequence`
        self.j_start = -1  # start of the first J k-mer, on `sequence`
        self.v_hits = 0  # k-mer hits of the V, and of the J, of the chosen locus and strand
        self.j_hits = 0
        self.shifted = False  # window moved inside the read (Vidjil's W50)


def poisson_tail(expected: float, observed: int) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if observed <= expected:
        return 1.0  # at least about one half: never significant
    term = math.exp(-expected + observed * math.log(expected) - math.lgamma(observed + 1))
    total = term
    index = observed
    while term > total * 1e-6:
        index += 1
        term *= expected / index
        total += term
    return min(total, 1.0)


class Detector:
    """Detects the junction window of reads against a `KmerIndex`; one per process."""

    def __init__(
        self,
        index: KmerIndex,
        window_length: int = DEFAULT_WINDOW_LENGTH,
        max_evalue: float = DEFAULT_EVALUE,
    ) -> None:
        self.index = index
        self.window_length = window_length
        self.max_evalue = max_evalue
        self.locus_count = len(index.locus_names)
        # chance of a random k-mer hitting each class, and how many classes are tried per read
        self.hit_probability = [count / TABLE_SIZE for count in index.kmers_per_class]
        self.tests = float(max(1, 2 * self.locus_count))
        self._thresholds: dict[int, int] = {}
        # per (locus, strand): table value -> 1 when it holds the V class, 2 the J class, else 0
        self.segment_kinds: list[bytes] = [
            self._segment_kinds(pair) for pair in range(2 * self.locus_count)
        ]

    def _segment_kinds(self, pair: int) -> bytes:
        v_class = 1 + 2 * (pair & ~1) + (pair & 1)
        kinds = bytearray(256)
        for value, classes in enumerate(self.index.class_sets):
            if v_class in classes:
                kinds[value] = 1
            elif v_class + 2 in classes:
                kinds[value] = 2
        return bytes(kinds)

    def __repr__(self) -> str:
        return f"Detector(loci={self.index.locus_names}, window_length={self.window_length})"

    def evalue(self, class_id: int, hits: int, positions: int) -> float:
        return poisson_tail(self.hit_probability[class_id] * positions, hits) * self.tests

    def detect(self, read: str) -> Detection:
        length = len(read)
        if length < SEED_SPAN:
            return Detection(_TOO_SHORT)
        encoded = read.encode("ascii", "replace").translate(ENCODING)
        value_counts = [0] * 256
        first = [-1] * 256
        last = [-1] * 256
        self.index.count(encoded, value_counts, first, last)
        counts = self.index.class_counts(value_counts)
        best, reason = self._choose(counts, length - SEED_SPAN + 1)
        if best < 0:
            return Detection(reason)
        detection = self._separated_window(read, best, first, last)
        if detection is None:  # V and J hits interleave: split them with every position
            hits = self.index.scan(encoded, [0] * 256)
            detection = self._window(read, hits, best)
        v_class = 1 + 2 * (best & ~1) + (best & 1)
        detection.v_hits = counts[v_class]
        detection.j_hits = counts[v_class + 2]
        return detection

    def detection_evalue(self, detection: Detection) -> float:
        """E-value of a segmented read: the larger of its V and J e-values (computed on demand,
        the threshold test of `detect` needs none)."""
        v_class = 1 + 4 * detection.locus + (1 if detection.reverse else 0)
        positions = len(detection.sequence) - SEED_SPAN + 1
        return max(
            self.evalue(v_class, detection.v_hits, positions),
            self.evalue(v_class + 2, detection.j_hits, positions),
        )

    def _choose(self, counts: list[int], positions: int) -> tuple[int, int]:
        """The best (locus, strand) as `2 * locus + strand`, or -1 and the reason for none."""
        best = -1
        best_score = 0
        tied = False
        fallback = -1  # best pair by hits, to name the reason when none is significant
        fallback_score = 0
        for pair in range(2 * self.locus_count):
            v_class = 1 + 2 * (pair & ~1) + (pair & 1)
            j_class = v_class + 2
            v_hits = counts[v_class]
            j_hits = counts[j_class]
            score = v_hits + j_hits
            if score == 0:
                continue
            if score > fallback_score:
                fallback, fallback_score = pair, score
            if score < best_score or not self._significant(v_class, v_hits, positions):
                continue
            if not self._significant(j_class, j_hits, positions):
                continue
            tied = score == best_score and (pair >> 1) != (best >> 1)
            best, best_score = pair, score
        if best < 0:
            return -1, self._unsegmented_reason(counts, fallback, positions)
        if tied:
            return -1, _AMBIGUOUS_LOCUS
        if self._other_strand_significant(counts, best, positions):
            return -1, _AMBIGUOUS_STRAND
        return best, _SEGMENTED

    def _significant(self, class_id: int, hits: int, positions: int) -> bool:
        if hits <= 0:
            return False
        return hits >= self._threshold(class_id, positions)

    def _threshold(self, class_id: int, positions: int) -> int:
        """The fewest hits of a class that are significant in a read with `positions` k-mers.

        The e-value falls as hits grow, so this is computed once per (class, read length).
        """
        key = (positions << 8) | class_id
        found = self._thresholds.get(key)
        if found is not None:
            return found
        hits = 1
        while self.evalue(class_id, hits, positions) > self.max_evalue and hits <= positions:
            hits += 1
        self._thresholds[key] = hits
        return hits

    def _unsegmented_reason(self, counts: list[int], pair: int, positions: int) -> int:
        if pair < 0:
            return _TOO_FEW_KMERS
        v_class = 1 + 2 * (pair & ~1) + (pair & 1)
        v_ok = self._significant(v_class, counts[v_class], positions)
        j_ok = self._significant(v_class + 2, counts[v_class + 2], positions)
        if v_ok and not j_ok:
            return _ONLY_V
        if j_ok and not v_ok:
            return _ONLY_J
        return _TOO_FEW_KMERS

    def _other_strand_significant(self, counts: list[int], best: int, positions: int) -> bool:
        """Whether the other strand of any locus has significant hits, half as many as `best`."""
        best_v = 1 + 2 * (best & ~1) + (best & 1)
        best_score = counts[best_v] + counts[best_v + 2]
        other_strand = 1 - (best & 1)
        for locus in range(self.locus_count):
            v_class = 1 + 4 * locus + other_strand
            v_hits = counts[v_class]
            j_hits = counts[v_class + 2]
            if 2 * (v_hits + j_hits) < best_score:
                continue
            if self._significant(v_class, v_hits, positions) or self._significant(
                v_class + 2, j_hits, positions
            ):
                return True
        return False

    def _separated_window(
        self, read: str, pair: int, first: list[int], last: list[int]
    ) -> Detection | None:
        """The window when every V k-mer of `pair` precedes every J k-mer, else None.

        Then the split of `_window` is plain: after the last V k-mer, before the first J one.
        """
        kinds = self.segment_kinds[pair]
        v_low = j_low = len(read)
        v_high = j_high = -1
        for value in range(1, len(self.index.class_sets)):
            kind = kinds[value]
            if kind == 0 or first[value] < 0:
                continue
            if kind == 1:
                v_low = min(v_low, first[value])
                v_high = max(v_high, last[value])
            else:
                j_low = min(j_low, first[value])
                j_high = max(j_high, last[value])
        reverse = (pair & 1) == 1
        if reverse:  # forward coordinates: position -> len(read) - SEED_SPAN - position
            v_last = len(read) - SEED_SPAN - v_low
            j_first = len(read) - SEED_SPAN - j_high
        else:
            v_last = v_high
            j_first = j_low
        if v_last < 0 or v_last >= j_first:
            return None
        detection = Detection(_SEGMENTED, pair >> 1, reverse)
        detection.v_end = v_last + SEED_SPAN
        detection.j_start = j_first
        if detection.j_start - detection.v_end < -SEED_SPAN:
            detection.reason = _TOO_CLOSE
            return detection
        self._place_window(detection, reverse_complement(read) if reverse else read)
        return detection

    def _window(self, read: str, hits: list[int], pair: int) -> Detection:
        reverse = (pair & 1) == 1
        detection = Detection(_SEGMENTED, pair >> 1, reverse)
        v_positions, j_positions = self._positions(hits, pair, len(read))
        split = best_split(v_positions, j_positions)
        v_before = bisect_left(v_positions, split)
        j_before = bisect_left(j_positions, split)
        j_after = len(j_positions) - j_before
        wrong = len(v_positions) - v_before + j_before
        if v_before == 0 or j_after == 0 or 3 * wrong > v_before + j_after:
            detection.reason = _AMBIGUOUS
            return detection
        detection.v_end = v_positions[v_before - 1] + SEED_SPAN
        detection.j_start = j_positions[j_before]
        if detection.j_start - detection.v_end < -SEED_SPAN:
            detection.reason = _TOO_CLOSE
            return detection
        sequence = reverse_complement(read) if reverse else read
        self._place_window(detection, sequence)
        return detection

    def _positions(self, hits: list[int], pair: int, length: int) -> tuple[list[int], list[int]]:
        """Start positions of the V and J k-mers of `pair`, on the forward-oriented read."""
        kinds = self.segment_kinds[pair]
        v_positions: list[int] = []
        j_positions: list[int] = []
        for hit in hits:
            kind = kinds[hit & 0xFF]
            if kind == 1:
                v_positions.append(hit >> 8)
            elif kind == 2:
                j_positions.append(hit >> 8)
        if pair & 1:
            last = length - SEED_SPAN
            v_positions = [last - position for position in reversed(v_positions)]
            j_positions = [last - position for position in reversed(j_positions)]
        return v_positions, j_positions

    def _place_window(self, detection: Detection, sequence: str) -> None:
        length = len(sequence)
        width = self.window_length
        start = (detection.v_end + detection.j_start) // 2 - width // 2
        if width > length:
            detection.reason = _TOO_SHORT_FOR_WINDOW
            return
        shifted = min(max(start, 0), length - width)
        if abs(shifted - start) > MAX_WINDOW_SHIFT:
            detection.reason = _TOO_SHORT_FOR_WINDOW
            return
        detection.shifted = shifted != start
        detection.sequence = sequence
        detection.window_start = shifted
        detection.window = sequence[shifted : shifted + width]


def best_split(v_positions: list[int], j_positions: list[int]) -> int:
    """The position p maximising (V k-mers starting before p) + (J k-mers starting at or after p).

    Both lists are sorted. Candidates are the hit positions and the end; ties go to the leftmost.
    """
    v_count = len(v_positions)
    j_count = len(j_positions)
    best = 0
    best_score = -1
    v_before = 0
    j_before = 0
    while True:
        # next candidate: the smallest position not yet passed
        if v_before < v_count and (
            j_before >= j_count or v_positions[v_before] <= j_positions[j_before]
        ):
            candidate = v_positions[v_before]
        elif j_before < j_count:
            candidate = j_positions[j_before]
        else:
            candidate = (v_positions[-1] if v_count else 0) + 1
            if j_count:
                candidate = max(candidate, j_positions[-1] + 1)
        score = v_before + j_count - j_before
        if score > best_score:
            best, best_score = candidate, score
        if v_before >= v_count and j_before >= j_count:
            return best
        while v_before < v_count and v_positions[v_before] == candidate:
            v_before += 1
        while j_before < j_count and j_positions[j_before] == candidate:
            j_before += 1
