"""Windows -> clones: each window is a clone, except sequencing-error variants of a bigger one.

A sequencing error near the junction gives a read a window that differs from its clone's by a
substitution, or, when the error breaks the last V (first J) k-mers, a window shifted by a few
nucleotides. Windows are taken by decreasing read count; a window joins an earlier clone head
when that head has at least `ABSORB_RATIO` times its reads (`TWO_ERRORS_RATIO` times for two
substitutions), is of the same locus, and matches it with at most `MAX_MISMATCHES`
substitutions (N matches anything), unshifted or shifted by at most
`MAX_SHIFT` nt (against heads of at least `SHIFT_MIN_READS` reads). As a last resort a window
shifted by up to `SMALL_SHIFT` nt with one substitution joins any head sharing its middle
seeds (the 10-read clone of a 100k sample lost such a read). A window that is a larger
head's own sequence shifted by up to `MAX_SHIFT` nt joins it whatever their ratio: a read too
short to hold the window where the junction puts it gets it moved to fit, so a clone read at
various lengths has such copies in a share set by the read lengths, not by errors (on 1M
simulated reads, 5,348 reads of a 50,000-read IGK clone were a second clone with the same
junction before). The overlap must match exactly, found through a `CORE_LENGTH`-nt part,
so this holds even when every seed is too common to be looked up (a junction without N
nucleotides). Two clones whose junctions really
differ by one nucleotide are kept apart unless one is `ABSORB_RATIO` times larger (by two,
`TWO_ERRORS_RATIO` times): the price of absorbing error variants.

Candidates come from exact 10-nt seeds: with at most two substitutions, one of the five seeds
that tile a 50-nt window (three in the overlap of a shifted pair) is intact, and only heads
sharing that many seeds are compared. Seeds shared by more than `MAX_SEED_HEADS` heads are
skipped: the junction's own seeds are the telling ones.
"""

from __future__ import annotations

from typing import Final

ABSORB_RATIO: Final = 5
MAX_MISMATCHES: Final = 2
# Two sequencing errors in one window are rare: with a per-nucleotide error rate e, a clone of
# R reads has about R * 1225 * e^2 reads with two in its 50-nt window, under one for R < 1000
# at e = 0.1% (Illumina). So a window two substitutions from a head joins it only when the head
# has this many times its reads; below that, against the simulator's per-read truth (100k reads,
# seven loci), such windows were other clones 9 times out of 10 (594 of 629 reads).
TWO_ERRORS_RATIO: Final = 1000
MAX_SHIFT: Final = 15
SHIFT_MIN_READS: Final = 20
# Windows that found no parent look for heads shifted by at most this through their two middle
# tiling seeds (an error next to the junction moves a window 1-3 nt), with at most
# SMALL_SHIFT_MISMATCHES: that error. Germline-rich junctions (TRG) of two distinct clones can
# be two substitutions apart.
SMALL_SHIFT: Final = 3
SMALL_SHIFT_MISMATCHES: Final = 1
SEED_LENGTH: Final = 10
# Exact shifted copies are found through this long a substring (the window's at 3 places, the
# head's at every place): long enough to be found in one head only, except for the same junction.
CORE_LENGTH: Final = 30
# Seeds shared by more heads than this (germline V ends, J starts) select too much to be useful.
MAX_SEED_HEADS: Final = 8


class Cluster:
    """A clone: its head window and the windows absorbed into it."""

    def __init__(self, head: str, locus: str, reads: int) -> None:
        self.head = head
        self.locus = locus
        self.reads = reads  # reads of the head window
        self.members: list[str] = [head]

    def __repr__(self) -> str:
        return f"Cluster({self.head}, {self.locus}, windows={len(self.members)})"


def mismatches(query: str, head: str, offset: int, limit: int) -> int:
    """Substitutions between `query` and `head` with query[i] against head[i + offset].

    Counts over the overlap only, N matching anything; stops past `limit`.
    """
    count = 0
    start = max(0, -offset)
    stop = min(len(query), len(head) - offset)
    if stop - start < len(query) - MAX_SHIFT:
        return limit + 1
    for index in range(start, stop):
        left = query[index]
        right = head[index + offset]
        if left != right and left != "N" and right != "N":
            count += 1
            if count > limit:
                return count
    return count


class _Seed:
    """The heads holding one seed: per tiling slot, and anywhere (heads of >= 20 reads)."""

    def __init__(self, slots: int) -> None:
        self.fixed: list[list[int] | None] = [None] * slots  # slot -> heads
        self.anywhere: list[int] | None = None  # (head << 8 | position + 128)


class _HeadIndex:
    """Seeds of the clone heads that may absorb smaller windows (one dict, one look-up a seed)."""

    def __init__(self, window_length: int) -> None:
        self.seed_starts = list(range(0, window_length - SEED_LENGTH + 1, SEED_LENGTH))
        middle = len(self.seed_starts) // 2
        self.middle_slots = [slot for slot in (middle, middle + 1) if slot < len(self.seed_starts)]
        # The middle seeds tile one span: a window holds both, moved by the same shift, when it
        # holds that span so moved. Heads by their span: one look-up per shift, not per seed.
        self.middle_start = self.seed_starts[self.middle_slots[0]] if self.middle_slots else 0
        self.middle_end = (
            self.seed_starts[self.middle_slots[-1]] + SEED_LENGTH if self.middle_slots else 0
        )
        self.middles: dict[str, list[int]] = {}
        self.core_starts: dict[int, list[int]] = {}  # window length -> where its cores are read
        self.seeds: dict[str, _Seed] = {}
        self.needed_by_length: dict[int, list[int]] = {}
        self.cores: dict[str, list[int]] = {}  # substring -> (head << 8 | start + 128)

    def _seed(self, seed: str) -> _Seed:
        found = self.seeds.get(seed)
        if found is None:
            found = _Seed(len(self.seed_starts))
            self.seeds[seed] = found
        return found

    def add(self, head_number: int, window: str, reads: int) -> None:
        for slot, start in enumerate(self.seed_starts):
            entry = self._seed(window[start : start + SEED_LENGTH])
            heads = entry.fixed[slot]
            if heads is None:
                entry.fixed[slot] = [head_number]
            else:
                heads.append(head_number)
        if self.middle_slots:
            span = window[self.middle_start : self.middle_end]
            holding_span = self.middles.get(span)
            if holding_span is None:
                self.middles[span] = [head_number]
            else:
                holding_span.append(head_number)
        if reads < SHIFT_MIN_READS:
            return
        for start in range(len(window) - CORE_LENGTH + 1):
            core = window[start : start + CORE_LENGTH]
            code = (head_number << 8) | (start + 128)
            holding = self.cores.get(core)
            if holding is None:
                self.cores[core] = [code]
            else:
                holding.append(code)
        for start in range(len(window) - SEED_LENGTH + 1):
            entry = self._seed(window[start : start + SEED_LENGTH])
            code = (head_number << 8) | (start + 128)
            if entry.anywhere is None:
                entry.anywhere = [code]
            else:
                entry.anywhere.append(code)

    def candidates(self, window: str) -> list[int]:
        """(head << 8 | offset + 128) for each head that shares enough seeds with `window`.

        With at most `MAX_MISMATCHES` substitutions, all but that many of the window's seeds
        that fall inside the overlap are intact: heads with fewer shared seeds cannot match.
        Seeds with an N, or too common to be looked up, may be missing too.
        """
        votes: dict[int, int] = {}
        skipped_fixed = 0
        skipped_anywhere = 0
        seeds = self.seeds
        slot = 0
        for start in self.seed_starts:
            entry = seeds.get(window[start : start + SEED_LENGTH])
            slot += 1
            if entry is None:
                continue
            heads = entry.fixed[slot - 1]
            if heads is not None:
                if len(heads) > MAX_SEED_HEADS:
                    skipped_fixed += 1
                else:
                    for head_number in heads:
                        key = (head_number << 8) | 128
                        votes[key] = votes.get(key, 0) + 1
            entries = entry.anywhere
            if entries is not None:
                if len(entries) > MAX_SEED_HEADS:
                    skipped_anywhere += 1
                else:
                    _vote_shifted(votes, entries, start)
        if not votes:
            return []
        broken = self._broken_seeds(window)
        needed = self._needed(len(window))
        found: list[int] = []
        for key, count in votes.items():
            offset_code = key & 0xFF
            skipped = skipped_fixed if offset_code == 128 else skipped_anywhere
            if count >= needed[offset_code] - broken - skipped:
                found.append(key)
        return found

    def small_shift_candidates(self, window: str) -> list[int]:
        """(head << 8 | offset + 128) for heads whose two middle tiling seeds are both in
        `window`, 1 to `SMALL_SHIFT` nt away: window[start + shift:][:SEED_LENGTH] is the head's
        seed at `start`. The middle seeds, because the error that shifts a window sits at its V
        or J end; both, to keep the checks few, since most windows have no parent and come here.
        A seed held by more than `MAX_SEED_HEADS` heads at its slot is not looked up."""
        found: list[int] = []
        if not self.middle_slots:
            return found
        for shift in _SMALL_SHIFTS:
            low = self.middle_start + shift
            high = self.middle_end + shift
            if low < 0 or high > len(window):
                continue
            heads = self.middles.get(window[low:high])
            if heads is None or not self._middle_seeds_selective(window, low):
                continue
            for head_number in heads:
                found.append((head_number << 8) | (128 - shift))  # query[i] faces head[i - shift]
        return found

    def _middle_seeds_selective(self, window: str, low: int) -> bool:
        """Whether each middle seed of `window` read from `low` is held by at most
        `MAX_SEED_HEADS` heads at its slot."""
        for slot in self.middle_slots:
            start = low + self.seed_starts[slot] - self.middle_start
            entry = self.seeds.get(window[start : start + SEED_LENGTH])
            heads = entry.fixed[slot] if entry is not None else None
            if heads is None or len(heads) > MAX_SEED_HEADS:
                return False
        return True

    def exact_shift_candidates(self, window: str) -> list[int]:
        """(head << 8 | offset + 128) for heads holding one of three `CORE_LENGTH`-nt parts of
        `window` (start, middle, end) 1 to `MAX_SHIFT` nt from where the window holds it."""
        found: list[int] = []
        for position in self._core_starts(len(window)):
            holding = self.cores.get(window[position : position + CORE_LENGTH])
            if holding is None:
                continue
            for code in holding:
                offset = (code & 0xFF) - 128 - position
                if offset != 0 and -MAX_SHIFT <= offset <= MAX_SHIFT:
                    key = ((code >> 8) << 8) | (offset + 128)
                    if key not in found:
                        found.append(key)
        return found

    def _core_starts(self, length: int) -> list[int]:
        """Where the cores of a window of `length` nt are read: start, middle, end (none when
        shorter than a core)."""
        found = self.core_starts.get(length)
        if found is None:
            last = length - CORE_LENGTH
            found = sorted({0, last // 2, last}) if last >= 0 else []
            self.core_starts[length] = found
        return found

    def _broken_seeds(self, window: str) -> int:
        """Seeds of `window` holding an N (which matches anything but breaks exact seeds)."""
        if "N" not in window:
            return 0
        return sum(1 for start in self.seed_starts if "N" in window[start : start + SEED_LENGTH])

    def _needed(self, length: int) -> list[int]:
        """`_seeds_needed(offset, length)` for every offset code (offset + 128), cached."""
        found = self.needed_by_length.get(length)
        if found is None:
            found = [self._seeds_needed(code - 128, length) for code in range(256)]
            self.needed_by_length[length] = found
        return found

    def _seeds_needed(self, offset: int, length: int) -> int:
        low = max(0, -offset)
        high = min(length, length - offset)
        inside = 0
        for start in self.seed_starts:
            if start >= low and start + SEED_LENGTH <= high:
                inside += 1
        return max(1, inside - MAX_MISMATCHES)


_SMALL_SHIFTS = [shift for distance in range(1, SMALL_SHIFT + 1) for shift in (-distance, distance)]


def _vote_shifted(votes: dict[int, int], entries: list[int], start: int) -> None:
    for entry in entries:
        offset = (entry & 0xFF) - 128 - start
        if offset != 0 and -MAX_SHIFT <= offset <= MAX_SHIFT:
            key = ((entry >> 8) << 8) | (offset + 128)
            votes[key] = votes.get(key, 0) + 1


def cluster_windows(windows: dict[str, tuple[str, int]]) -> list[Cluster]:
    """Groups windows (window -> (locus, reads)) into clones, largest head first."""
    clusters: list[Cluster] = []
    index = _HeadIndex(max((len(window) for window in windows), default=0))
    for window, locus, reads in _by_reads(windows):
        parent = _find_parent(window, locus, reads, clusters, index)
        if parent >= 0:
            clusters[parent].members.append(window)
            continue
        clusters.append(Cluster(window, locus, reads))
        if reads >= ABSORB_RATIO:
            index.add(len(clusters) - 1, window, reads)
    return clusters


def _by_reads(windows: dict[str, tuple[str, int]]) -> list[tuple[str, str, int]]:
    """(window, locus, reads), most reads first, then by window: windows of equal reads are
    sorted apart (a list of strings sorts much faster than tuples comparing their strings)."""
    by_reads: dict[int, list[str]] = {}
    for window, (_, reads) in windows.items():
        same = by_reads.get(reads)
        if same is None:
            by_reads[reads] = [window]
        else:
            same.append(window)
    order: list[tuple[str, str, int]] = []
    for reads in sorted(by_reads, reverse=True):
        same = by_reads[reads]
        same.sort()
        for window in same:
            order.append((window, windows[window][0], reads))
    return order


def _find_parent(
    window: str, locus: str, reads: int, clusters: list[Cluster], index: _HeadIndex
) -> int:
    """The biggest head that may absorb `window`, fewest mismatches on ties, or -1."""
    candidates = index.candidates(window)
    best = _best_parent(window, locus, reads, clusters, candidates, MAX_MISMATCHES)
    if best < 0:
        candidates = index.small_shift_candidates(window)
        best = _best_parent(window, locus, reads, clusters, candidates, SMALL_SHIFT_MISMATCHES)
    if best < 0:
        candidates = index.exact_shift_candidates(window)
        best = _best_parent(window, locus, reads, clusters, candidates, 0, ratio=1)
    return best


def _best_parent(
    window: str,
    locus: str,
    reads: int,
    clusters: list[Cluster],
    candidates: list[int],
    most_mismatches: int,
    ratio: int = ABSORB_RATIO,
) -> int:
    best = -1
    best_key = (0, 0)
    for candidate in candidates:
        head_number = candidate >> 8
        head = clusters[head_number]
        if head.reads < ratio * reads or head.locus != locus:
            continue
        offset = (candidate & 0xFF) - 128
        distance = mismatches(window, head.head, offset, most_mismatches)
        if distance > most_mismatches or (distance >= 2 and head.reads < TWO_ERRORS_RATIO * reads):
            continue
        key = (head.reads, -distance - abs(offset))
        if best < 0 or key > best_key or (key == best_key and head_number < best):
            best, best_key = head_number, key
    return best
