"""A documented order for genes that a clone sequence cannot tell apart (equal scores).

When a J gene's 5' part is deleted, the part left in the read can be identical in two genes
(human IGHJ1, IGHJ4 and IGHJ5 share their 3' part past the Trp118 codon; a mutation or a few
chance N nucleotides make them tie). Then the sequence carries no evidence either way and the
gene most used in human repertoires is the likelier one: published human IGH repertoires use
IGHJ4 most (40-50% of rearrangements), then IGHJ6, IGHJ5 and IGHJ3 (10-20% each), IGHJ2 and
IGHJ1 least (a few %). Only exact ties are broken this way; the other genes are still listed
as equal and W69 is still emitted. Germline sets of other species keep their file order.
"""

from __future__ import annotations

HUMAN_SET_NAMES = ("homo-sapiens", "human")
HUMAN_USAGE_ORDER: dict[str, tuple[str, ...]] = {
    "IGH": ("IGHJ4", "IGHJ6", "IGHJ5", "IGHJ3", "IGHJ2", "IGHJ1"),
}


def usage_order(set_name: str, locus: str) -> tuple[str, ...]:
    """Genes (without allele) of `locus`, most used first; () when no order is documented."""
    if set_name.lower() not in HUMAN_SET_NAMES:
        return ()
    return HUMAN_USAGE_ORDER.get(locus, ())
