"""Where a read's 5' k-mer hits end and its 3' hits begin: the split of the junction window."""

from __future__ import annotations

from vidjil_local.core.kmers import SEED_SPAN


def hit_positions(
    hits: list[int], kinds: bytes, reverse: bool, length: int
) -> tuple[list[int], list[int]]:
    """Start positions of the 5' and 3' k-mers (`kinds` 1 and 2), on the forward-oriented read."""
    v_positions: list[int] = []
    j_positions: list[int] = []
    for hit in hits:
        kind = kinds[hit & 0xFF]
        if kind == 1:
            v_positions.append(hit >> 8)
        elif kind == 2:
            j_positions.append(hit >> 8)
    if reverse:
        last = length - SEED_SPAN
        v_positions = [last - position for position in reversed(v_positions)]
        j_positions = [last - position for position in reversed(j_positions)]
    return v_positions, j_positions


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
