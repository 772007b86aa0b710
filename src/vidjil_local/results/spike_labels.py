"""Spike-in normalisation of `.vidjil` files made by vidjil-algo with labelled spike-ins.

vidjil-algo (`--label-file`) labels the clones of spike-in sequences (`label`, their name) and a
lab's pipeline gives their `copies`; Vidjil's `spike-normalization.py` then adds each clone's
`normalized_reads`. This does the same with `core.spikes`, on one-sample documents, so such files
imported into the app carry the MRD estimates; our own analyses set spike-ins apart themselves
(`pipeline.measures`). Spike-in clones stay in the document, normalised too, as Vidjil leaves them.
"""

from __future__ import annotations

from typing import Any

from vidjil_local.core.spikes import DNA_CELLS, Spike, normalize
from vidjil_local.results.measures import clone_normalization, mrd_block


def labelled_spikes(document: dict[str, Any]) -> tuple[list[Spike], list[int]]:
    """The spike-ins of a one-sample document and their reads (clones of one label summed)."""
    reads: dict[str, int] = {}
    spikes: dict[str, Spike] = {}
    for clone in document.get("clones") or []:
        label, copies = clone.get("label"), clone.get("copies")
        if not isinstance(label, str) or not isinstance(copies, int | float) or not label:
            continue
        spikes.setdefault(label, Spike(label, str(clone.get("sequence") or ""), float(copies)))
        reads[label] = reads.get(label, 0) + int(clone["reads"][0])
    return list(spikes.values()), [reads[name] for name in spikes]


def normalize_labelled(document: dict[str, Any], dna_cells: int = DNA_CELLS) -> bool:
    """Adds `mrd` and every clone's `normalized_reads` and `mrd`; False (document unchanged)
    when the document has several samples, no labelled spike-in, or too few spike-in reads."""
    if int(document["samples"]["number"]) != 1:
        return False
    spikes, reads = labelled_spikes(document)
    germline = (document.get("reads") or {}).get("germline") or {}
    per_locus = {locus: int(values[0]) for locus, values in germline.items() if values}
    factor = normalize(spikes, reads, per_locus, dna_cells) if spikes else None
    if factor is None:
        return False
    document["mrd"] = mrd_block([factor])
    for clone in document.get("clones") or []:
        clone.update(clone_normalization([int(value) for value in clone["reads"]], [factor]))
    return True
