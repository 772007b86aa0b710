"""Counting a known clone (a marker) in any sample down to one read, from its window counts.

An analysis lists the clones over its `top` and `min_reads` thresholds, but it also keeps the
reads of every window it saw, before clustering (`WindowReads`, written next to the `.vidjil`).
So a clone of another sample (the leukemic clone of the diagnosis) is counted in a follow-up
whatever its size there: the reads of its window, plus those of the windows one substitution
away that are small enough to be its sequencing errors. That is the clustering's rule
(`ABSORB_RATIO`): a variant with `r` reads joins a window of at least `ABSORB_RATIO * r` reads.
A marker of 3 reads therefore counts its own window only, as the clustering would.
"""

from __future__ import annotations

from vidjil_local.core.clustering import ABSORB_RATIO

# window -> (locus, reads) of one sample
WindowReads = dict[str, tuple[str, int]]
_BASES = "ACGT"


def one_substitution_variants(window: str) -> list[str]:
    """Every window one substitution (A, C, G or T) away from `window`."""
    variants: list[str] = []
    for position in range(len(window)):
        here = window[position]
        for base in _BASES:
            if base != here:
                variants.append(window[:position] + base + window[position + 1 :])
    return variants


def marker_reads(window: str, windows: WindowReads) -> int:
    """Reads of the clone `window` in a sample: its window and its error variants."""
    found = windows.get(window)
    exact = found[1] if found is not None else 0
    largest_error = exact // ABSORB_RATIO
    if largest_error == 0:
        return exact
    reads = exact
    for variant in one_substitution_variants(window):
        other = windows.get(variant)
        if other is not None and other[1] <= largest_error:
            reads += other[1]
    return reads


def looked_up_windows(windows: list[str]) -> set[str]:
    """The windows `marker_reads` may read for these markers: to load only those."""
    wanted = set(windows)
    for window in windows:
        wanted.update(one_substitution_variants(window))
    return wanted
