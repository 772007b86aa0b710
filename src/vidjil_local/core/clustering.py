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
that tile a 50-nt window (three in the overlap of a shifted pair) is intact. Seeds shared by
more than `MAX_SEED_HEADS` heads are skipped: the junction's own seeds are the telling ones.
"""

from __future__ import annotations

from typing import Final

ABSORB_RATIO: Final = 5
MAX_MISMATCHES: Final = 2
MAX_SHIFT: Final = 15
SHIFT_MIN_READS: Final = 20
SEED_LENGTH: Final = 10
# Seeds shared by more heads than this (germline V ends, J starts) select too much to be useful.
MAX_SEED_HEADS: Final = 32


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

    def candidates(self, window: str) -> set[int]:
        """(head << 8 | offset + 128) for each head sharing a seed with `window`."""
        found: set[int] = set()
        for slot, start in enumerate(self.seed_starts):
            seed = window[start : start + SEED_LENGTH]
            heads = self.fixed[slot].get(seed)
            if heads is not None and len(heads) <= MAX_SEED_HEADS:
                for head_number in heads:
                    found.add((head_number << 8) | 128)
            entries = self.anywhere.get(seed)
            if entries is None or len(entries) > MAX_SEED_HEADS:
                continue
            for entry in entries:
                offset = (entry & 0xFF) - 128 - start
                if offset != 0 and -MAX_SHIFT <= offset <= MAX_SHIFT:
                    found.add(((entry >> 8) << 8) | (offset + 128))
        return found


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
