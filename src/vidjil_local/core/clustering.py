"""Windows -> clones: each window is a clone, except sequencing-error variants of a bigger one.

A sequencing error near the junction gives a read a window that differs from its clone's by a
substitution, or, when the error breaks the last V (first J) k-mers, a window shifted by a few
nucleotides. Windows are taken by decreasing read count; a window joins an earlier clone head
when that head has at least `ABSORB_RATIO` times its reads, is of the same locus, and matches it
with at most `MAX_MISMATCHES` substitutions (N matches anything), unshifted or shifted by at most
`MAX_SHIFT` nt (shifts only against heads of at least `SHIFT_MIN_READS` reads). Two clones whose
junctions really differ by one or two nucleotides are kept apart unless one is `ABSORB_RATIO`
times larger: the price of absorbing error variants.

Candidates come from exact 10-nt seeds: with at most two substitutions, one of the five seeds
that tile a 50-nt window (three in the overlap of a shifted pair) is intact, and only heads
sharing that many seeds are compared. Seeds shared by more than `MAX_SEED_HEADS` heads are
skipped: the junction's own seeds are the telling ones.
"""

from __future__ import annotations

from typing import Final

ABSORB_RATIO: Final = 5
MAX_MISMATCHES: Final = 2
MAX_SHIFT: Final = 15
SHIFT_MIN_READS: Final = 20
SEED_LENGTH: Final = 10
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


class _HeadIndex:
    """Seeds of the clone heads that may absorb smaller windows."""

    def __init__(self, window_length: int) -> None:
        self.seed_starts = list(range(0, window_length - SEED_LENGTH + 1, SEED_LENGTH))
        self.fixed: list[dict[str, list[int]]] = [{} for _ in self.seed_starts]
        self.anywhere: dict[str, list[int]] = {}  # seed -> (head << 8 | position + 128)

    def add(self, head_number: int, window: str, reads: int) -> None:
        for slot, start in enumerate(self.seed_starts):
            self.fixed[slot].setdefault(window[start : start + SEED_LENGTH], []).append(head_number)
        if reads < SHIFT_MIN_READS:
            return
        for start in range(len(window) - SEED_LENGTH + 1):
            seed = window[start : start + SEED_LENGTH]
            self.anywhere.setdefault(seed, []).append((head_number << 8) | (start + 128))

    def candidates(self, window: str) -> list[int]:
        """(head << 8 | offset + 128) for each head that shares enough seeds with `window`.

        With at most `MAX_MISMATCHES` substitutions, all but that many of the window's seeds
        that fall inside the overlap are intact: heads with fewer shared seeds cannot match.
        Seeds with an N, or too common to be looked up, may be missing too.
        """
        votes: dict[int, int] = {}
        skipped_fixed = 0
        skipped_anywhere = 0
        for slot, start in enumerate(self.seed_starts):
            seed = window[start : start + SEED_LENGTH]
            heads = self.fixed[slot].get(seed, [])
            if len(heads) > MAX_SEED_HEADS:
                skipped_fixed += 1
            else:
                for head_number in heads:
                    key = (head_number << 8) | 128
                    votes[key] = votes.get(key, 0) + 1
            entries = self.anywhere.get(seed, [])
            if len(entries) > MAX_SEED_HEADS:
                skipped_anywhere += 1
            else:
                _vote_shifted(votes, entries, start)
        broken = self._broken_seeds(window)
        found: list[int] = []
        for key, count in votes.items():
            offset = (key & 0xFF) - 128
            skipped = skipped_fixed if offset == 0 else skipped_anywhere
            if count >= self._seeds_needed(offset, len(window)) - broken - skipped:
                found.append(key)
        return found

    def _broken_seeds(self, window: str) -> int:
        """Seeds of `window` holding an N (which matches anything but breaks exact seeds)."""
        if "N" not in window:
            return 0
        return sum(1 for start in self.seed_starts if "N" in window[start : start + SEED_LENGTH])

    def _seeds_needed(self, offset: int, length: int) -> int:
        low = max(0, -offset)
        high = min(length, length - offset)
        inside = 0
        for start in self.seed_starts:
            if start >= low and start + SEED_LENGTH <= high:
                inside += 1
        return max(1, inside - MAX_MISMATCHES)


def _vote_shifted(votes: dict[int, int], entries: list[int], start: int) -> None:
    for entry in entries:
        offset = (entry & 0xFF) - 128 - start
        if offset != 0 and -MAX_SHIFT <= offset <= MAX_SHIFT:
            key = ((entry >> 8) << 8) | (offset + 128)
            votes[key] = votes.get(key, 0) + 1


def cluster_windows(windows: dict[str, tuple[str, int]]) -> list[Cluster]:
    """Groups windows (window -> (locus, reads)) into clones, largest head first."""
    order = sorted(windows, key=lambda window: (-windows[window][1], window))
    clusters: list[Cluster] = []
    index = _HeadIndex(max((len(window) for window in order), default=0))
    for window in order:
        locus, reads = windows[window]
        parent = _find_parent(window, locus, reads, clusters, index)
        if parent >= 0:
            clusters[parent].members.append(window)
            continue
        clusters.append(Cluster(window, locus, reads))
        if reads >= ABSORB_RATIO:
            index.add(len(clusters) - 1, window, reads)
    return clusters


def _find_parent(
    window: str, locus: str, reads: int, clusters: list[Cluster], index: _HeadIndex
) -> int:
    """The biggest head that may absorb `window`, fewest mismatches on ties, or -1."""
    best = -1
    best_key = (0, 0)
    for candidate in index.candidates(window):
        head_number = candidate >> 8
        head = clusters[head_number]
        if head.reads < ABSORB_RATIO * reads or head.locus != locus:
            continue
        offset = (candidate & 0xFF) - 128
        distance = mismatches(window, head.head, offset, MAX_MISMATCHES)
        if distance > MAX_MISMATCHES:
            continue
        key = (head.reads, -distance - abs(offset))
        if best < 0 or key > best_key or (key == best_key and head_number < best):
            best, best_key = head_number, key
    return best
