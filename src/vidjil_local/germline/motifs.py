"""Find the J Phe/Trp118 anchor of an ungapped J gene from its conserved motif.

Used only when neither `anchors.tsv` nor IMGT gaps give the anchor: the first codon, in any
frame, that reads F or W and is followed by G-x-G (the J "FGxG"/"WGxG" motif).
"""

from __future__ import annotations

_PHE_TRP = frozenset({"TTT", "TTC", "TGG"})
_GLY = frozenset({"GGT", "GGC", "GGA", "GGG"})


def find_j_anchor(sequence: str) -> int:
    """0-based position of the first nt of the Phe/Trp118 codon, or -1."""
    for start in range(len(sequence) - 11):
        if (
            sequence[start : start + 3] in _PHE_TRP
            and sequence[start + 3 : start + 6] in _GLY
            and sequence[start + 9 : start + 12] in _GLY
        ):
            return start
    return -1
