"""Per-read detection: system, strand, 5' and 3' k-mer positions, e-values, the junction window.

Steps for one read, in this order (the first that fails names the `Reason`):
1. scan every spaced-seed k-mer against the `KmerIndex` (one pass for all systems);
2. count hits per class (gene group, strand) and score each recombination unit of the set
   (system, 5' group, 3' group) on each strand with e-values: the chance of seeing that many
   hits in a random read of that length;
3. keep the (unit, strand) with significant 5' *and* 3' hits and the most hits; reject reads
   whose hits fall on both strands or on two systems equally. Two systems sharing a gene group
   (TRA and TRA+D share TRAJ) that tie go to the first of the preset, as in Vidjil;
4. with `unexpected` (Vidjil's `-2`), a read no unit explains but whose hits are significant for
   a 5' group and a 3' group that no recombination pairs (a V of one locus, a J of another)
   is an unexpected recombination, system `xxx`;
5. on the forward-oriented read, split 5' hits from 3' hits where the most of them agree, and
   centre a window of `window_length` nt on the gap between the last 5' k-mer and the first 3'
   k-mer. A window that overflows the read by at most `MAX_WINDOW_SHIFT` nt is shifted inside.
"""

from __future__ import annotations

from bisect import bisect_left
from enum import IntEnum
from typing import Final

from vidjil_local.core._evalues import evalue, fewest_significant, poisson_tail
from vidjil_local.core._split import best_split, hit_positions
from vidjil_local.core._unexpected import UnexpectedPairs
from vidjil_local.core.genes import UNEXPECTED
from vidjil_local.core.kmers import (
    ENCODING,
    SEED_SPAN,
    TABLE_SIZE,
    KmerIndex,
    class_id,
    reverse_complement,
)

__all__ = ["Detection", "Detector", "Reason", "best_split", "poisson_tail"]

MAX_WINDOW_SHIFT: Final = 10
DEFAULT_WINDOW_LENGTH: Final = 50
DEFAULT_EVALUE: Final = 1.0


class Reason(IntEnum):
    """Why a read is (not) segmented: the one list used by statistics, reports and the UI."""

    SEGMENTED = 0
    TOO_SHORT = 1  # shorter than a k-mer
    TOO_FEW_KMERS = 2  # no significant 5' (V) nor 3' (J) hits
    ONLY_V = 3  # 5' hits, not enough 3' (the read does not reach the junction's 3' side)
    ONLY_J = 4
    AMBIGUOUS_STRAND = 5  # significant hits on both strands
    AMBIGUOUS_LOCUS = 6  # two systems explain the read equally
    AMBIGUOUS = 7  # 5' and 3' hits interleaved
    TOO_CLOSE = 8  # 5' and 3' hits overlap too much for a junction
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
        self.locus = locus  # index in `Detector.names`: a system of the set, or "xxx"
        self.reverse = reverse  # the read is the reverse complement of the rearrangement
        self.sequence = ""  # the read, forward-oriented
        self.window_start = -1
        self.window = ""
        self.v_end = -1  # end of the last 5' k-mer, on `sequence`
        self.j_start = -1  # start of the first 3' k-mer, on `sequence`
        self.v_hits = 0  # k-mer hits of the 5' and of the 3' class of the chosen unit and strand
        self.j_hits = 0
        self.five_class = 0  # those classes
        self.three_class = 0
        self.shifted = False  # window moved inside the read (Vidjil's W50)


class Detector:
    """Detects the junction window of reads against a `KmerIndex`; one per process."""

    def __init__(
        self,
        index: KmerIndex,
        window_length: int = DEFAULT_WINDOW_LENGTH,
        max_evalue: float = DEFAULT_EVALUE,
        unexpected: bool = False,
    ) -> None:
        self.index = index
        self.window_length = window_length
        self.max_evalue = max_evalue
        self.unexpected = unexpected
        # what `Detection.locus` indexes: the systems, then "xxx" when unexpected ones are sought
        self.names: list[str] = index.locus_names + ([UNEXPECTED] if unexpected else [])
        # chance of a random k-mer hitting each class, and how many (unit, strand) are tried
        self.hit_probability = [count / TABLE_SIZE for count in index.kmers_per_class]
        # per pair `2 * unit + strand`: its system, 5' class and 3' class
        self.pair_loci: list[int] = []
        self.pair_fives: list[int] = []
        self.pair_threes: list[int] = []
        for unit in range(len(index.unit_loci)):
            for strand in (0, 1):
                self.pair_loci.append(index.unit_loci[unit])
                self.pair_fives.append(class_id(index.unit_fives[unit], strand))
                self.pair_threes.append(class_id(index.unit_threes[unit], strand))
        self.pair_count = len(self.pair_loci)
        self.tests = float(max(1, self.pair_count))
        self._thresholds: dict[int, int] = {}
        # per pair: table value -> 1 when it holds the 5' class, 2 the 3' class, else 0
        self.segment_kinds: list[bytes] = [
            self._kinds(self.pair_fives[pair], self.pair_threes[pair])
            for pair in range(self.pair_count)
        ]
        self.unexpected_pairs = UnexpectedPairs(index, self.hit_probability, max_evalue)
        self._unexpected_kinds: dict[int, bytes] = {}
        # table values in use: the per-read lists need no more (fewer to allocate per read)
        self.values = len(index.class_sets)

    def _kinds(self, five_class: int, three_class: int) -> bytes:
        kinds = bytearray(256)
        for value, classes in enumerate(self.index.class_sets):
            if five_class in classes:
                kinds[value] = 1
            elif three_class in classes:
                kinds[value] = 2
        return bytes(kinds)

    def __repr__(self) -> str:
        return f"Detector(systems={self.names}, window_length={self.window_length})"

    def evalue(self, class_id: int, hits: int, positions: int) -> float:
        return self._evalue(class_id, hits, positions, self.tests)

    def detect(self, read: str) -> Detection:
        length = len(read)
        if length < SEED_SPAN:
            return Detection(_TOO_SHORT)
        encoded = read.encode("ascii", "replace").translate(ENCODING)
        values = self.values
        value_counts = [0] * values
        first = [-1] * values
        last = [-1] * values
        self.index.count(encoded, value_counts, first, last)
        counts = self.index.class_counts(value_counts)
        positions = length - SEED_SPAN + 1
        best, reason = self._choose(counts, positions)
        if self.unexpected and (best >= 0 or _TOO_FEW_KMERS <= reason <= _ONLY_J):
            declared = (self.pair_fives[best], self.pair_threes[best]) if best >= 0 else None
            found = self.unexpected_pairs.choose(counts, value_counts, positions, declared)
            if found is not None:
                return self._unexpected(read, encoded, found, counts, first, last)
        if best < 0:
            return Detection(reason)
        return self._placed(
            read,
            encoded,
            self.segment_kinds[best],
            (best & 1) == 1,
            self.pair_loci[best],
            (self.pair_fives[best], self.pair_threes[best]),
            counts,
            first,
            last,
        )

    def _placed(
        self,
        read: str,
        encoded: bytes,
        kinds: bytes,
        reverse: bool,
        locus: int,
        classes: tuple[int, int],
        counts: list[int],
        first: list[int],
        last: list[int],
    ) -> Detection:
        """The detection of `read` as this unit (its `kinds`), its window placed."""
        detection = self._separated_window(read, kinds, reverse, locus, first, last)
        if detection is None:  # 5' and 3' hits interleave: split them with every position
            hits = self.index.scan(encoded, [0] * self.values)
            detection = self._window(read, hits, kinds, reverse, locus)
        detection.five_class, detection.three_class = classes
        detection.v_hits = counts[classes[0]]
        detection.j_hits = counts[classes[1]]
        return detection

    def detection_evalue(self, detection: Detection) -> float:
        """E-value of a segmented read: the larger of its 5' and 3' e-values (computed on
        demand, the threshold test of `detect` needs none)."""
        positions = len(detection.sequence) - SEED_SPAN + 1
        tests = self.tests
        if self.unexpected and detection.locus == len(self.names) - 1:
            tests = self.unexpected_pairs.tests
        return max(
            self._evalue(detection.five_class, detection.v_hits, positions, tests),
            self._evalue(detection.three_class, detection.j_hits, positions, tests),
        )

    def _evalue(self, class_id: int, hits: int, positions: int, tests: float) -> float:
        return evalue(self.hit_probability[class_id], hits, positions, tests)

    def _choose(self, counts: list[int], positions: int) -> tuple[int, int]:
        """The best (unit, strand) as `2 * unit + strand`, or -1 and the reason for none."""
        best = -1
        best_score = 0
        tied = False
        fallback = -1  # best pair by hits, to name the reason when none is significant
        fallback_score = 0
        for pair in range(self.pair_count):
            five_class = self.pair_fives[pair]
            three_class = self.pair_threes[pair]
            score = counts[five_class] + counts[three_class]
            if score == 0:
                continue
            if score > fallback_score:
                fallback, fallback_score = pair, score
            if score < best_score or not self._significant(five_class, counts, positions):
                continue
            if not self._significant(three_class, counts, positions):
                continue
            if score == best_score:
                # the same system, or one sharing a gene group with the best (TRA+D's TRAJ):
                # the first of the preset keeps it, as in Vidjil
                if not self._related(pair, best):
                    tied = True
                continue
            best, best_score, tied = pair, score, False
        if best < 0:
            return -1, self._unsegmented_reason(counts, fallback, positions)
        if tied:
            return -1, _AMBIGUOUS_LOCUS
        if self._other_strand_significant(counts, best, positions):
            return -1, _AMBIGUOUS_STRAND
        return best, _SEGMENTED

    def _related(self, pair: int, other: int) -> bool:
        return (
            self.pair_loci[pair] == self.pair_loci[other]
            or self.pair_fives[pair] == self.pair_fives[other]
            or self.pair_threes[pair] == self.pair_threes[other]
        )

    def _significant(self, class_id: int, counts: list[int], positions: int) -> bool:
        hits = counts[class_id]
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
        probability = self.hit_probability[class_id]
        hits = fewest_significant(probability, positions, self.tests, self.max_evalue)
        self._thresholds[key] = hits
        return hits

    def _unsegmented_reason(self, counts: list[int], pair: int, positions: int) -> int:
        if pair < 0:
            return _TOO_FEW_KMERS
        v_ok = self._significant(self.pair_fives[pair], counts, positions)
        j_ok = self._significant(self.pair_threes[pair], counts, positions)
        if v_ok and not j_ok:
            return _ONLY_V
        if j_ok and not v_ok:
            return _ONLY_J
        return _TOO_FEW_KMERS

    def _other_strand_significant(self, counts: list[int], best: int, positions: int) -> bool:
        """Whether the other strand of any unit has significant hits, half as many as `best`."""
        best_score = counts[self.pair_fives[best]] + counts[self.pair_threes[best]]
        for pair in range(1 - (best & 1), self.pair_count, 2):
            five_class = self.pair_fives[pair]
            three_class = self.pair_threes[pair]
            if 2 * (counts[five_class] + counts[three_class]) < best_score:
                continue
            if self._significant(five_class, counts, positions) or self._significant(
                three_class, counts, positions
            ):
                return True
        return False

    def _unexpected(
        self,
        read: str,
        encoded: bytes,
        classes: tuple[int, int],
        counts: list[int],
        first: list[int],
        last: list[int],
    ) -> Detection:
        """The read as an unexpected recombination (`xxx`) of these (5', 3') classes."""
        key = (classes[0] << 8) | classes[1]
        kinds = self._unexpected_kinds.get(key)
        if kinds is None:
            kinds = self._kinds(classes[0], classes[1])
            self._unexpected_kinds[key] = kinds
        locus = len(self.names) - 1
        reverse = (classes[0] - 1) & 1 == 1
        return self._placed(read, encoded, kinds, reverse, locus, classes, counts, first, last)

    def _separated_window(
        self, read: str, kinds: bytes, reverse: bool, locus: int, first: list[int], last: list[int]
    ) -> Detection | None:
        """The window when every 5' k-mer (`kinds` 1) precedes every 3' one (2), else None.

        Then the split of `_window` is plain: after the last 5' k-mer, before the first 3' one.
        """
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
        if reverse:  # forward coordinates: position -> len(read) - SEED_SPAN - position
            v_last = len(read) - SEED_SPAN - v_low
            j_first = len(read) - SEED_SPAN - j_high
        else:
            v_last = v_high
            j_first = j_low
        if v_last < 0 or v_last >= j_first:
            return None
        detection = Detection(_SEGMENTED, locus, reverse)
        detection.v_end = v_last + SEED_SPAN
        detection.j_start = j_first
        if detection.j_start - detection.v_end < -SEED_SPAN:
            detection.reason = _TOO_CLOSE
            return detection
        self._place_window(detection, reverse_complement(read) if reverse else read)
        return detection

    def _window(
        self, read: str, hits: list[int], kinds: bytes, reverse: bool, locus: int
    ) -> Detection:
        detection = Detection(_SEGMENTED, locus, reverse)
        v_positions, j_positions = hit_positions(hits, kinds, reverse, len(read))
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
