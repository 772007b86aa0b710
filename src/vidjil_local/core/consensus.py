"""A clone's sequence: its representative read with sequencing errors out-voted by other reads.

The representative is the longest read of the clone's head window; the supporters are other
reads of that window (`core.windows`). All hold the same window, so they align on it without
gaps. A base of the representative is replaced when more covering reads (at least two) agree on
another base: one error per read is then corrected wherever two others cover it, while a true
difference (somatic mutation) shared by the clone's reads stays. An N of the representative is
replaced by the base most covering reads have.
"""

from __future__ import annotations

MAX_MISMATCH_RATE = 0.05  # a supporter differing more (an indel shifts it) does not vote


def consensus(representative: str, window_start: int, supporters: list[tuple[str, int]]) -> str:
    """`representative` corrected by `supporters` ((read, window start in it) pairs)."""
    placed: list[tuple[str, int]] = []  # (read, its offset on the representative)
    votes: dict[int, dict[str, int]] = {}  # position -> base -> reads with it, where they differ
    for read, start in supporters:
        offset = window_start - start
        differences = _differences(representative, read, offset)
        if differences is None:
            continue
        placed.append((read, offset))
        for position, base in differences:
            if base != "N":
                at = votes.setdefault(position, {})
                at[base] = at.get(base, 0) + 1
    if not votes:
        return representative
    corrected = list(representative)
    for position, counts in votes.items():
        base, count = max(counts.items(), key=lambda item: (item[1], item[0]))
        own = representative[position]
        if own == "N" or (count >= 2 and count > 1 + _count_at(placed, position, own)):
            corrected[position] = base
    return "".join(corrected)


def _differences(representative: str, read: str, offset: int) -> list[tuple[int, str]] | None:
    """(position, read base) where `read`, placed at `offset`, differs from the representative;
    None when it differs too often (misplaced) or does not overlap it."""
    low = max(0, offset)
    high = min(len(representative), offset + len(read))
    if high <= low:
        return None
    if representative[low:high] == read[low - offset : high - offset]:
        return []
    allowed = MAX_MISMATCH_RATE * (high - low)
    found: list[tuple[int, str]] = []
    for position in range(low, high):
        base = read[position - offset]
        if representative[position] != base:
            found.append((position, base))
            if len(found) > allowed:
                return None
    return found


def _count_at(placed: list[tuple[str, int]], position: int, base: str) -> int:
    """How many placed reads have `base` at this position of the representative."""
    count = 0
    for read, offset in placed:
        index = position - offset
        if 0 <= index < len(read) and read[index] == base:
            count += 1
    return count
