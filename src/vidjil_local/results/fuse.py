"""The multi-sample fuse: one `.vidjil` document from the latest result of each sample of a set.

A pure function over parsed `.vidjil` documents: clones are matched across samples by their id, the
window around the junction, as Vidjil's fuse.py does; the job that calls it only reads and writes
files.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidjil_local import __version__
from vidjil_local.core.markers import WindowReads
from vidjil_local.results.fuse_measures import measure_fused
from vidjil_local.results.vidjil import VIDJIL_JSON_VERSION

FUSE_TOP = 100  # keep the clones in the top 100 of at least one sample (fuse.py -t 100)
PER_SAMPLE_LISTS = ("original_names", "producer", "commandline", "log")


@dataclass(frozen=True)
class FusedSample:
    """What the database knows of one sample of the fuse."""

    sample_id: int
    name: str
    sampling_date: str | None = None
    info: str = ""
    result_id: int | None = None


def _per_sample(documents: Sequence[dict[str, Any]], part: str, key: str) -> list[Any]:
    values: list[Any] = []
    for document in documents:
        count = int(document["samples"]["number"])
        given = (document.get(part) or {}).get(key)
        given = given if isinstance(given, list) else []
        values += [given[index] if index < len(given) else "" for index in range(count)]
    return values


def _merging(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`samples._merging` (paired-end samples' merge statistics) when a document has it: null
    for the other samples."""
    if not any(isinstance((d.get("samples") or {}).get("_merging"), list) for d in documents):
        return {}
    values = _per_sample(documents, "samples", "_merging")
    return {"_merging": [value if isinstance(value, dict) else None for value in values]}


def _per_sample_table(documents: Sequence[dict[str, Any]], key: str) -> dict[str, list[int]]:
    """`reads.germline` (or `_unsegmented`) over all samples: a 0 where a sample lacks a key."""
    names = list(dict.fromkeys(n for d in documents for n in (d.get("reads") or {}).get(key) or {}))
    table: dict[str, list[int]] = {name: [] for name in names}
    for document in documents:
        count = int(document["samples"]["number"])
        given = (document.get("reads") or {}).get(key) or {}
        for name in names:
            values = given.get(name) or []
            table[name] += [int(values[i]) if i < len(values) else 0 for i in range(count)]
    return table


def kept_ids(documents: Sequence[dict[str, Any]], top: int = FUSE_TOP) -> set[str]:
    """The clones the fuse keeps: in the top `top` of some document."""
    return {
        str(clone["id"])
        for document in documents
        for clone in document.get("clones") or []
        if int(clone.get("top", top + 1)) <= top
    }


def _fused_clones(
    documents: Sequence[dict[str, Any]], kept: set[str], total: int
) -> list[dict[str, Any]]:
    """Kept clones with one read count per fused sample; other fields from the sample where
    the clone has the most reads (its best designation)."""
    fused: dict[str, dict[str, Any]] = {}
    best: dict[str, int] = {}
    offset = 0
    for document in documents:
        count = int(document["samples"]["number"])
        for clone in document.get("clones") or []:
            clone_id = str(clone["id"])
            if clone_id not in kept:
                continue
            reads = _fit([int(value) for value in clone["reads"]], count, 0)
            target = fused.setdefault(clone_id, {"reads": [0] * total, "lengths": [0.0] * total})
            target["reads"][offset : offset + count] = reads
            lengths = [float(x) for x in clone.get("_average_read_length") or []]
            target["lengths"][offset : offset + count] = _fit(lengths, count, 0.0)
            if sum(reads) > best.get(clone_id, -1):
                best[clone_id] = sum(reads)
                target["fields"] = clone
        offset += count
    return [_fused_clone(parts) for parts in fused.values()]


def fused_clusters(documents: Sequence[dict[str, Any]], kept: set[str]) -> list[list[str]]:
    """The documents' `clusters` (an imported Vidjil file's merges) over the kept clones: clusters
    sharing a clone become one, whose representative is the first one met."""
    merged: list[list[str]] = []
    for document in documents:
        given = document.get("clusters")
        for cluster in given if isinstance(given, list) else []:
            if not isinstance(cluster, list):
                continue
            ids = list(dict.fromkeys(i for i in cluster if isinstance(i, str) and i in kept))
            joined = [known for known in merged if not set(known).isdisjoint(ids)]
            whole = [i for known in joined for i in known]
            merged = [known for known in merged if known not in joined]
            merged.append(list(dict.fromkeys(whole + ids)))
    return [cluster for cluster in merged if len(cluster) > 1]


def _fit(values: list[Any], count: int, fill: Any) -> list[Any]:
    """Exactly `count` per-sample values (a damaged file may give more or fewer)."""
    return values[:count] + [fill] * (count - len(values))


def _fused_clone(parts: dict[str, Any]) -> dict[str, Any]:
    clone = {key: value for key, value in parts["fields"].items() if key not in ("reads", "top")}
    clone["reads"] = parts["reads"]
    if any(parts["lengths"]):
        clone["_average_read_length"] = parts["lengths"]
    return clone


def _rank(clones: list[dict[str, Any]], total: int) -> None:
    """Set each clone's `top` to its best rank over the samples (1 = most reads)."""
    for clone in clones:
        clone["top"] = len(clones) + 1
    for sample in range(total):
        present = [clone for clone in clones if clone["reads"][sample] > 0]
        present.sort(key=lambda clone: (-clone["reads"][sample], clone["id"]))
        for rank, clone in enumerate(present, start=1):
            clone["top"] = min(clone["top"], rank)
    clones.sort(key=lambda clone: (clone["top"], -sum(clone["reads"]), clone["id"]))


def fuse(
    documents: Sequence[dict[str, Any]],
    samples: Sequence[FusedSample],
    top: int = FUSE_TOP,
    timestamp: str | None = None,
    window_counts: Sequence[list[WindowReads] | None] | None = None,
) -> dict[str, Any]:
    """One multi-sample `.vidjil` document from per-sample ones, in the order given.

    `samples` names each sample of the documents (in order); clones in the top `top` of at least
    one document are kept, with their reads in every sample: from the sample's clone list, else
    from its window counts (`window_counts`, per document, None where unknown), else 0.
    """
    total = sum(int(document["samples"]["number"]) for document in documents)
    if len(samples) != total:
        raise ValueError(f"{len(samples)} sample labels for {total} samples")
    kept = kept_ids(documents, top)
    clones = _fused_clones(documents, kept, total)
    fused = _document(documents, samples, clones, top, timestamp)
    clusters = fused_clusters(documents, kept)
    if clusters:
        fused["clusters"] = clusters
    measure_fused(fused, documents, window_counts)
    _rank(clones, total)
    return fused


def _document(
    documents: Sequence[dict[str, Any]],
    samples: Sequence[FusedSample],
    clones: list[dict[str, Any]],
    top: int,
    timestamp: str | None,
) -> dict[str, Any]:
    run_times = _per_sample(documents, "samples", "timestamp")
    return {
        "vidjil_json_version": VIDJIL_JSON_VERSION,
        "producer": f"vidjil-local {__version__} fuse -t {top}",
        "timestamp": timestamp or time.strftime("%Y-%m-%d %H:%M:%S"),
        "samples": {
            "number": len(samples),
            **{key: _per_sample(documents, "samples", key) for key in PER_SAMPLE_LISTS},
            "names": [sample.name for sample in samples],
            "info": [sample.info for sample in samples],
            "ids": [sample.sample_id for sample in samples],
            "result_ids": [sample.result_id for sample in samples],
            "run_timestamp": run_times,
            **_merging(documents),
            "timestamp": [
                s.sampling_date or run for s, run in zip(samples, run_times, strict=True)
            ],
        },
        "reads": {
            "total": [int(x or 0) for x in _per_sample(documents, "reads", "total")],
            "segmented": [int(x or 0) for x in _per_sample(documents, "reads", "segmented")],
            "germline": _per_sample_table(documents, "germline"),
            "_unsegmented": _per_sample_table(documents, "_unsegmented"),
        },
        "clones": clones,
    }
