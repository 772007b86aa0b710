"""The clinical measures of a fused time course (`results.fuse`), over per-sample documents.

- Markers: a clone of the fused result missing from a sample's own clone list (under that
  sample's `top` and `min_reads`) gets its reads there from the sample's window counts
  (`core.markers`, down to one read), flagged in `_below_threshold`. `samples._window_counts`
  says which samples had window counts: elsewhere (imported results) such a clone's 0 means
  "not listed", not "absent".
- Detection per sample (`_detection`): "detected", "below_lod" (fewer reads than the sample's
  limit of detection, 3 reads when the sample has none), "not_detected" (0 reads where every
  window is known) or "unknown".
- W81 / W82: a clone designated with other V or J genes, or another productivity, in some
  samples.
- Per-sample measures (diversity, `mrd`, sample warnings, limits of detection, spike-ins) follow
  the samples, document after document; a clone's per-sample values (`normalized_reads`, `mrd`,
  `_coverage`) too, null where a document lacks the clone, and `normalized_reads` is computed for
  the reads counted from window counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vidjil_local.core.markers import WindowReads, marker_reads
from vidjil_local.core.spikes import DNA_CELLS, LOD_MIN_READS

Document = dict[str, Any]
SAMPLE_KEYS = ("_limit_of_detection", "_spikes")
CLONE_KEYS = ("normalized_reads", "_coverage")
CLONE_MRD_KEYS = ("copy_number", "norm_coeff", "R2", "family")
DIVERSITY_KEYS = (
    "index_H_entropy",
    "index_E_equitability",
    "index_Ds_diversity",
    "_index_J_pielou",
    "_clones",
)
MRD_KEYS = ("UNI_COEFF", "UNI_R2", "ampl_coeff", "prevalent", "_spike_reads", "_dna_cells")
CONFLICT_CODES = ("W81", "W82")


def measure_fused(
    fused: Document,
    documents: Sequence[Document],
    window_counts: Sequence[list[WindowReads] | None] | None = None,
) -> None:
    """Adds the measures to `fused`, made from `documents` (its clones already gathered)."""
    counts = _per_sample(documents, window_counts or [None] * len(documents))
    fused.update(_document_blocks(documents))
    fused["samples"].update(_sample_lists(documents))
    fused["samples"]["_window_counts"] = [found is not None for found in counts]
    fused["reads"].update(_spike_reads(documents))
    by_id = [{str(c["id"]): c for c in d.get("clones") or []} for d in documents]
    listed = [set(clones) for d, clones in zip(documents, by_id, strict=True) for _ in _of(d)]
    for clone in fused["clones"]:
        clone.update(_clone_lists(str(clone["id"]), documents, by_id))
        _check_conflicts(clone, by_id)
        _fill_from_windows(clone, listed, counts, fused.get("mrd"))
        _detection(clone, fused["samples"].get("_limit_of_detection"), counts)


def _of(document: Document) -> range:
    """The sample indices of a document."""
    return range(int(document["samples"]["number"]))


def _at(values: Any, index: int) -> Any:
    return values[index] if isinstance(values, list) and index < len(values) else None


def _per_sample(
    documents: Sequence[Document], window_counts: Sequence[list[WindowReads] | None]
) -> list[WindowReads | None]:
    found: list[WindowReads | None] = []
    for document, counts in zip(documents, window_counts, strict=True):
        found += [_at(counts, index) for index in _of(document)]
    return found


def _follow(documents: Sequence[Document], path: Sequence[str], scalar: bool = False) -> list[Any]:
    """One value per fused sample: each document's list at `path` (a number for its only sample
    when `scalar`: vidjil-algo writes the diversity of its one sample so)."""
    values: list[Any] = []
    for document in documents:
        found: Any = document
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        for index in _of(document):
            number = scalar and isinstance(found, int | float) and index == 0
            values.append(found if number else _at(found, index))
    return values


# -- per-sample blocks ----------------------------------------------------------------------------
def _document_blocks(documents: Sequence[Document]) -> Document:
    """`diversity`, `mrd` and `warn`, those some input has."""
    blocks: Document = {}
    if any("diversity" in document for document in documents):
        blocks["diversity"] = _indices(documents, ("diversity",))
        loci = {
            locus
            for document in documents
            for locus in (document.get("diversity") or {}).get("_per_locus") or {}
        }
        blocks["diversity"]["_per_locus"] = {
            locus: _indices(documents, ("diversity", "_per_locus", locus)) for locus in sorted(loci)
        }
    if any("mrd" in document for document in documents):
        mrd = {key: _follow(documents, ("mrd", key)) for key in MRD_KEYS}
        blocks["mrd"] = {"coefficients": {"UNI": list(mrd["UNI_COEFF"])}, **mrd}
    warnings = _sample_warnings(documents)
    if warnings:
        blocks["warn"] = warnings
    return blocks


def _indices(documents: Sequence[Document], path: tuple[str, ...]) -> Document:
    return {key: _follow(documents, (*path, key), scalar=True) for key in DIVERSITY_KEYS}


def _sample_warnings(documents: Sequence[Document]) -> list[Document]:
    warnings, offset = [], 0
    for document in documents:
        for warning in document.get("warn") or []:
            if isinstance(warning, dict):
                warnings.append({**warning, "_sample": offset + int(warning.get("_sample", 0))})
        offset += len(_of(document))
    return warnings


def _sample_lists(documents: Sequence[Document]) -> Document:
    return {
        key: _follow(documents, ("samples", key))
        for key in SAMPLE_KEYS
        if any(key in document["samples"] for document in documents)
    }


def _spike_reads(documents: Sequence[Document]) -> Document:
    if not any("_spikes" in (document.get("reads") or {}) for document in documents):
        return {}
    return {"_spikes": [value or 0 for value in _follow(documents, ("reads", "_spikes"))]}


# -- per clone -----------------------------------------------------------------------------------
def _clone_lists(
    clone_id: str, documents: Sequence[Document], by_id: Sequence[dict[str, Document]]
) -> Document:
    """A clone's per-sample values from each document that lists it (null elsewhere)."""
    present = [clones.get(clone_id) for clones in by_id]
    listed = [clone for clone in present if clone is not None]
    values: Document = {}
    for key in CLONE_KEYS:
        if any(key in clone for clone in listed):
            values[key] = _clone_values(documents, present, (key,))
    if any("mrd" in clone for clone in listed):
        values["mrd"] = {
            key: _clone_values(documents, present, ("mrd", key)) for key in CLONE_MRD_KEYS
        }
    return values


def _clone_values(
    documents: Sequence[Document], present: list[Document | None], path: tuple[str, ...]
) -> list[Any]:
    pairs = zip(documents, present, strict=True)
    return _follow([{"samples": d["samples"], "v": clone} for d, clone in pairs], ("v", *path))


def _check_conflicts(clone: Document, by_id: Sequence[dict[str, Document]]) -> None:
    """W81 / W82 when the documents listing the clone designate it differently."""
    genes: dict[str, None] = {}
    productive: dict[bool, None] = {}
    for clones in by_id:
        seg = (clones.get(str(clone["id"])) or {}).get("seg") or {}
        v, j = _gene(seg.get("5")), _gene(seg.get("3"))
        if v and j:
            genes[f"{v} {j}"] = None
        junction = seg.get("junction")
        if isinstance(junction, dict) and isinstance(junction.get("productive"), bool):
            productive[junction["productive"]] = None
    warnings = [w for w in clone.get("warn") or [] if w.get("code") not in CONFLICT_CODES]
    if len(genes) > 1:
        message = f"Different V(D)J designations in some samples: {', '.join(genes)}"
        warnings.append({"code": "W81", "level": "warn", "msg": message})
    if len(productive) > 1:
        message = "Different productivities in some samples"
        warnings.append({"code": "W82", "level": "warn", "msg": message})
    if warnings:
        clone["warn"] = warnings


def _gene(segment: Any) -> str:
    name = segment.get("name") if isinstance(segment, dict) else segment
    return str(name).split("*")[0] if name else ""


def _fill_from_windows(
    clone: Document,
    listed: Sequence[set[str]],
    counts: Sequence[WindowReads | None],
    mrd: Document | None,
) -> None:
    """Reads of the clone in the samples whose clone list lacks it, from their window counts."""
    below = [False] * len(listed)
    for sample, (ids, windows) in enumerate(zip(listed, counts, strict=True)):
        if clone["id"] in ids or windows is None:
            continue
        clone["reads"][sample] = marker_reads(str(clone["id"]), windows)
        below[sample] = True
        coefficient = _at((mrd or {}).get("UNI_COEFF"), sample)
        if isinstance(coefficient, int | float):
            cells = _at((mrd or {}).get("_dna_cells"), sample) or DNA_CELLS
            normalized = clone.setdefault("normalized_reads", [None] * len(listed))
            normalized[sample] = clone["reads"][sample] * coefficient / cells
    clone["_below_threshold"] = below


def _detection(clone: Document, limits: Any, counts: Sequence[WindowReads | None]) -> None:
    states = []
    for sample, reads in enumerate(clone["reads"]):
        limit = _at(limits, sample)
        lod = float(limit["reads"]) if isinstance(limit, dict) else float(LOD_MIN_READS)
        if reads >= lod:
            states.append("detected")
        elif reads > 0:
            states.append("below_lod")
        else:
            states.append("not_detected" if counts[sample] is not None else "unknown")
    clone["_detection"] = states
