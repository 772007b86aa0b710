"""A clone's sequence: its representative read with sequencing errors out-voted by other reads.

The representative is the longest read of the clone's head window; the supporters are other
reads of that window (`core.windows`). All hold the same window, so they align on it without
gaps. A base of the representative is replaced when more covering reads (at least two) agree on
another base: one error per read is then corrected wherever two others cover it, while a true
difference (somatic mutation) shared by the clone's reads stays.
"""

from __future__ import annotations

MAX_MISMATCH_RATE = 0.05  # a supporter differing more (an indel shifts it) does not vote
_BASES = "ACGT"


def consensus(representative: str, window_start: int, supporters: list[tuple[str, int]]) -> str:
    """`representative` corrected by `supporters` ((read, window start in it) pairs)."""
    aligned = [
        (read, window_start - start)
        for read, start in supporters
        if _agrees(representative, read, window_start - start)
    ]
    if len(aligned) < 2 and "N" not in representative:
        return representative
    corrected = list(representative)
    for position, base in enumerate(representative):
        votes = [0, 0, 0, 0]
        own = _BASES.find(base)
        if own >= 0:
            votes[own] = 1
        for read, offset in aligned:
            index = position - offset
            if 0 <= index < len(read):
                other = _BASES.find(read[index])
                if other >= 0:
                    votes[other] += 1
        best = max(range(4), key=lambda number: votes[number])
        needed = 1 if own < 0 else 2
        if best != own and votes[best] >= needed and votes[best] > (votes[own] if own >= 0 else 0):
            corrected[position] = _BASES[best]
    return "".join(corrected)


def _agrees(representative: str, read: str, offset: int) -> bool:
    """Whether `read`, placed at `offset` on the representative, overlaps it well enough."""
    low = max(0, offset)
    high = min(len(representative), offset + len(read))
    if high - low <= 0:
        return False
    mismatches = 0
    for position in range(low, high):
        if representative[position] != read[position - offset]:
            mismatches += 1
    return mismatches <= MAX_MISMATCH_RATE * (high - low)
