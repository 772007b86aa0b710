"""Per-chunk results that merge with `+=`: read statistics and reads counted by junction window.

A chunk of reads becomes one `ChunkResult`; results of chunks (from one process or many) are
summed in file order, so serial and parallel runs give the same totals and the same
representatives. A window's representative read is its longest read, the earliest on ties.

Windows with at least `SUPPORT_FROM` reads also keep `supporters`: the two longest of their
other reads (each chunk passes on its two longest reads after the representative). With the
representative they out-vote a sequencing error in it (`core.consensus`); being long, they
cover most of it. The clones worth designating have that many reads, few windows do, so memory
stays flat. Like the representative, they depend only on the reads and the chunk size (the same
in serial and parallel runs).
"""

from __future__ import annotations

from vidjil_local.core.detection import Detection, Detector, Reason
from vidjil_local.core.merge_stats import MergeStatistics

SUPPORT_FROM = 5  # windows with this many reads keep supporters
SUPPORTERS = 2
Placed = tuple[str, int]  # a forward-oriented read and where the window starts in it


class WindowStats:
    """The reads of one junction window in one sample."""

    def __init__(
        self,
        locus: str,
        count: int,
        length_sum: int,
        representative: str,
        start: int,
        shifted: int = 0,
    ) -> None:
        self.locus = locus
        self.count = count
        self.length_sum = length_sum
        self.representative = representative  # longest read, forward-oriented
        self.window_start = start  # where the window starts in `representative`
        self.shifted = shifted  # reads whose window was moved inside the read

    def __reduce__(self) -> tuple[type[WindowStats], tuple[str, int, int, str, int, int]]:
        arguments = (
            self.locus,
            self.count,
            self.length_sum,
            self.representative,
            self.window_start,
            self.shifted,
        )
        return (WindowStats, arguments)

    def __repr__(self) -> str:
        return f"WindowStats({self.locus}, count={self.count})"

    def merge(self, other: WindowStats) -> None:
        """Adds `other`, which comes later in the input."""
        self.count += other.count
        self.length_sum += other.length_sum
        self.shifted += other.shifted
        if len(other.representative) > len(self.representative):
            self.representative = other.representative
            self.window_start = other.window_start


class ReadStatistics:
    """Read counts of a sample: total, segmented by locus, unsegmented by `Reason`."""

    def __init__(self) -> None:
        self.total = 0
        self.length_sum = 0
        self.reasons: list[int] = [0] * len(Reason)
        self.segmented_per_locus: dict[str, int] = {}
        self.length_per_locus: dict[str, int] = {}
        self.shifted_windows = 0

    def __reduce__(self) -> tuple[object, ...]:
        state = (
            self.total,
            self.length_sum,
            self.reasons,
            self.segmented_per_locus,
            self.length_per_locus,
            self.shifted_windows,
        )
        return (_rebuild_statistics, state)

    @property
    def segmented(self) -> int:
        return self.reasons[Reason.SEGMENTED]

    def unsegmented(self) -> dict[str, int]:
        """Reads per reason label, for the reasons that occurred (segmented excluded)."""
        return {
            reason.label: self.reasons[reason]
            for reason in Reason
            if reason != Reason.SEGMENTED and self.reasons[reason]
        }

    def __iadd__(self, other: ReadStatistics) -> ReadStatistics:
        self.total += other.total
        self.length_sum += other.length_sum
        self.shifted_windows += other.shifted_windows
        for reason in range(len(self.reasons)):
            self.reasons[reason] += other.reasons[reason]
        for locus, count in other.segmented_per_locus.items():
            self.segmented_per_locus[locus] = self.segmented_per_locus.get(locus, 0) + count
        for locus, count in other.length_per_locus.items():
            self.length_per_locus[locus] = self.length_per_locus.get(locus, 0) + count
        return self


def _rebuild_statistics(
    total: int,
    length_sum: int,
    reasons: list[int],
    segmented_per_locus: dict[str, int],
    length_per_locus: dict[str, int],
    shifted_windows: int,
) -> ReadStatistics:
    statistics = ReadStatistics()
    statistics.total = total
    statistics.length_sum = length_sum
    statistics.reasons = reasons
    statistics.segmented_per_locus = segmented_per_locus
    statistics.length_per_locus = length_per_locus
    statistics.shifted_windows = shifted_windows
    return statistics


class ChunkResult:
    """Statistics and windows of some reads of one sample; `+=` adds a later chunk."""

    def __init__(self) -> None:
        self.statistics = ReadStatistics()
        self.windows: dict[str, WindowStats] = {}
        # after `+=`: the longest other reads of windows with SUPPORT_FROM reads or more
        self.supporters: dict[str, list[Placed]] = {}
        # in one chunk's result: the longest reads after the representative, per window
        self.runners_up: dict[str, list[Placed]] = {}
        self.merging = MergeStatistics()  # paired samples: how the pairs became reads

    def __reduce__(self) -> tuple[object, ...]:
        # Flat lists pickle much faster than one object per window.
        windows = self.windows
        loci: list[str] = []
        counts: list[int] = []
        lengths: list[int] = []
        representatives: list[str] = []
        starts: list[int] = []
        shifted: list[int] = []
        for stats in windows.values():
            loci.append(stats.locus)
            counts.append(stats.count)
            lengths.append(stats.length_sum)
            representatives.append(stats.representative)
            starts.append(stats.window_start)
            shifted.append(stats.shifted)
        state = (
            self.statistics,
            list(windows),
            loci,
            counts,
            lengths,
            representatives,
            starts,
            shifted,
            self.supporters,
            self.runners_up,
            self.merging,
        )
        return (_rebuild_chunk, state)

    def __repr__(self) -> str:
        return f"ChunkResult(reads={self.statistics.total}, windows={len(self.windows)})"

    def add(self, detection: Detection, read_length: int, locus: str) -> None:
        statistics = self.statistics
        statistics.total += 1
        statistics.length_sum += read_length
        statistics.reasons[detection.reason] += 1
        if detection.reason != 0:
            return
        per_locus = statistics.segmented_per_locus
        per_locus[locus] = per_locus.get(locus, 0) + 1
        lengths = statistics.length_per_locus
        lengths[locus] = lengths.get(locus, 0) + read_length
        shifted = 1 if detection.shifted else 0
        statistics.shifted_windows += shifted
        window = detection.window
        found = self.windows.get(window)
        if found is None:
            self.windows[window] = WindowStats(
                locus, 1, read_length, detection.sequence, detection.window_start, shifted
            )
            return
        found.count += 1
        found.shifted += shifted
        found.length_sum += read_length
        placed = (detection.sequence, detection.window_start)
        if read_length > len(found.representative):
            placed = (found.representative, found.window_start)
            found.representative = detection.sequence
            found.window_start = detection.window_start
        runners = self.runners_up.get(window)
        if runners is None:
            self.runners_up[window] = [placed]
        else:
            _keep_longest(runners, [placed])

    def __iadd__(self, other: ChunkResult) -> ChunkResult:
        """Adds `other`: one chunk's result (from `add`), the chunk that follows in the file."""
        self.statistics += other.statistics
        self.merging += other.merging
        windows = self.windows
        for window, stats in other.windows.items():
            found = windows.get(window)
            before = 0 if found is None else found.count
            if before + stats.count >= SUPPORT_FROM:
                self._support(window, found, stats, other.runners_up.get(window, []))
            if found is None:
                windows[window] = stats
            else:
                found.merge(stats)
        return self

    def _support(
        self, window: str, found: WindowStats | None, added: WindowStats, runners: list[Placed]
    ) -> None:
        """Keeps the longest reads that are not the representative once `added` is merged."""
        candidates: list[Placed] = []
        if found is not None:
            loser = found if len(added.representative) > len(found.representative) else added
            candidates.append((loser.representative, loser.window_start))
        candidates += runners
        kept = self.supporters.setdefault(window, [])
        _keep_longest(kept, candidates)


def _keep_longest(kept: list[Placed], candidates: list[Placed]) -> None:
    """Adds the `candidates` (later in the file) to `kept`, keeping the `SUPPORTERS` longest
    (the earliest on ties)."""
    for placed in candidates:
        if len(kept) < SUPPORTERS:
            kept.append(placed)
            continue
        shortest = 0  # the shortest kept read, the latest on ties
        for number in range(1, len(kept)):
            if len(kept[number][0]) <= len(kept[shortest][0]):
                shortest = number
        if len(placed[0]) > len(kept[shortest][0]):
            del kept[shortest]
            kept.append(placed)


def _rebuild_chunk(
    statistics: ReadStatistics,
    keys: list[str],
    loci: list[str],
    counts: list[int],
    lengths: list[int],
    representatives: list[str],
    starts: list[int],
    shifted: list[int],
    supporters: dict[str, list[Placed]],
    runners_up: dict[str, list[Placed]],
    merging: MergeStatistics,
) -> ChunkResult:
    result = ChunkResult()
    result.statistics = statistics
    result.merging = merging
    result.supporters = supporters
    result.runners_up = runners_up
    windows = result.windows
    for number in range(len(keys)):
        windows[keys[number]] = WindowStats(
            loci[number],
            counts[number],
            lengths[number],
            representatives[number],
            starts[number],
            shifted[number],
        )
    return result


def cluster_reads(members: list[str], windows: dict[str, WindowStats]) -> tuple[int, int]:
    """(reads, summed read length) of the windows `members` in one sample's `windows`."""
    reads = 0
    length = 0
    for window in members:
        stats = windows.get(window)
        if stats is not None:
            reads += stats.count
            length += stats.length_sum
    return reads, length


def detect_chunk(detector: Detector, sequences: list[str]) -> ChunkResult:
    """Detects every read of a chunk and counts it."""
    result = ChunkResult()
    names = detector.names
    for sequence in sequences:
        detection = detector.detect(sequence)
        locus = names[detection.locus] if detection.reason == 0 else ""
        result.add(detection, len(sequence), locus)
    return result
