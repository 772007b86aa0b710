"""The `.vidjil` JSON format (version "2016b") that Vidjil's web client loads, both ways.

Positions in `seg` are 1-based and inclusive (`start` = 0-based start + 1, `stop` = 0-based
end), as vidjil-algo writes them. A second D gene (VDDJ) goes in `seg["4b"]`. Fields of our
own that the client ignores start with `_` (`_average_read_length`, as in vidjil-algo,
`reads._unsegmented`, and `samples._merging`: per sample, null or how its read pairs were merged,
see docs/analysis.md).
"""

from __future__ import annotations

import json
import os
from typing import Any

from vidjil_local.core.merge_stats import MergeStatistics
from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    Designation,
    SampleResult,
    SegmentMatch,
)
from vidjil_local.results import measures
from vidjil_local.results._atomic import atomic_text_file

# reading is in vidjil_read.py: files made elsewhere are checked field by field
from vidjil_local.results.vidjil_read import OLDEST_READABLE_VERSION, load_document, read_vidjil

VIDJIL_JSON_VERSION = "2016b"


def write_vidjil(result: AnalysisResult, path: str | os.PathLike[str]) -> None:
    """Write `result` as a `.vidjil` file, atomically."""
    with atomic_text_file(path) as handle:
        json.dump(vidjil_document(result), handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def vidjil_document(result: AnalysisResult) -> dict[str, Any]:
    samples = result.samples
    loci = result.loci()
    return {
        "vidjil_json_version": VIDJIL_JSON_VERSION,
        "producer": result.producer,
        "timestamp": result.timestamp,
        "samples": {
            "number": len(samples),
            "original_names": [sample.original_name for sample in samples],
            "producer": [sample.producer or result.producer for sample in samples],
            "commandline": [sample.command_line for sample in samples],
            "timestamp": [sample.timestamp or result.timestamp for sample in samples],
            "log": [sample.log or sample_log(sample) for sample in samples],
            **_merging(samples),
            **measures.sample_measures(samples),
        },
        "reads": {
            "total": [sample.total_reads for sample in samples],
            "segmented": [sample.segmented_reads for sample in samples],
            "germline": {
                locus: [s.reads_per_locus.get(locus, 0) for s in samples] for locus in loci
            },
            "_unsegmented": _unsegmented(samples),
            **measures.spike_reads(samples),
        },
        "clones": [_clone(clone, samples) for clone in result.clones],
        **({"clusters": result.clusters} if result.clusters else {}),
        **measures.document_measures(samples),
    }


def sample_log(sample: SampleResult) -> str:
    """vidjil-algo's statistics text, which the client shows in its sample information."""
    total = max(sample.total_reads, 1)
    percent = 100.0 * sample.segmented_reads / total
    lines = [f"  ==> segmented {sample.segmented_reads} reads ({percent:.1f}%)"]
    for reason, count in sample.unsegmented.items():
        lines.append(f"  UNSEG {reason.replace('_', ' '):<14} -> {count:>8}")
    return "\n".join(lines) + "\n"


def _merging(samples: list[SampleResult]) -> dict[str, Any]:
    """`_merging` when a sample is paired: per sample, null or its merge statistics."""
    if all(sample.merging is None for sample in samples):
        return {}
    return {"_merging": [merging_document(s.merging, s.unmerged_reads) for s in samples]}


def merging_document(merging: MergeStatistics | None, unmerged_reads: str) -> Any:
    if merging is None:
        return None
    return {
        "pairs": merging.pairs,
        "merged": merging.merged,
        "unmerged": merging.unmerged(),
        "unmerged_analysed": unmerged_reads,
        "unmerged_reads": merging.kept,
        "staggered": merging.staggered,
        "mismatches": merging.mismatches,
        "overlap_lengths": {
            str(length): merging.overlaps[length] for length in sorted(merging.overlaps)
        },
    }


def _unsegmented(samples: list[SampleResult]) -> dict[str, list[int]]:
    reasons = list(dict.fromkeys(reason for s in samples for reason in s.unsegmented))
    return {reason: [s.unsegmented.get(reason, 0) for s in samples] for reason in reasons}


def _clone(clone: CloneResult, samples: list[SampleResult]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": clone.clone_id,
        "germline": clone.locus,
        "top": clone.top,
        "reads": list(clone.reads),
        "sequence": clone.sequence,
    }
    if clone.name:
        document["name"] = clone.name
    if clone.tag is not None:
        document["tag"] = clone.tag
    if clone.average_read_length:
        document["_average_read_length"] = list(clone.average_read_length)
    seg = _seg(clone.designation) if clone.designation is not None else {}
    if clone.v_identity is not None:
        seg["v_identity"] = measures.identity_feature(clone.v_identity)
    if seg:
        document["seg"] = seg
    document.update(measures.clone_measures(clone, samples))
    warnings = clone.all_warnings()
    if warnings:
        document["warn"] = [{"code": w.code, "level": w.level, "msg": w.message} for w in warnings]
    return document


def _seg(designation: Designation) -> dict[str, Any]:
    seg: dict[str, Any] = {}
    if designation.v is not None:
        seg["5"] = _segment(designation.v, delete_left=False, delete_right=True)
    if designation.d is not None:
        seg["4"] = _segment(designation.d, delete_left=True, delete_right=True)
    if designation.d2 is not None:
        seg["4b"] = _segment(designation.d2, delete_left=True, delete_right=True)
    if designation.j is not None:
        seg["3"] = _segment(designation.j, delete_left=True, delete_right=False)
    if designation.has_junction:
        seg["junction"] = _junction(designation)
        seg["cdr3"] = {
            "start": designation.cdr3_start + 1,
            "stop": designation.cdr3_end,
            "seq": designation.cdr3,
            "aa": designation.cdr3_aa,
        }
    return seg


def _segment(match: SegmentMatch, delete_left: bool, delete_right: bool) -> dict[str, Any]:
    segment: dict[str, Any] = {"name": match.name, "start": match.start + 1, "stop": match.end}
    if delete_left:
        segment["delLeft"] = match.deleted_5
    if delete_right:
        segment["delRight"] = match.deleted_3
    return segment


def _junction(designation: Designation) -> dict[str, Any]:
    junction: dict[str, Any] = {
        "start": designation.junction_start + 1,
        "stop": designation.junction_end,
        "aa": designation.junction_aa,
        "productive": bool(designation.productive),
    }
    if not designation.productive:
        junction["unproductive"] = _unproductive_reason(designation)
    return junction


def _unproductive_reason(designation: Designation) -> str:
    if designation.vj_in_frame is False:
        return "out-of-frame"
    if designation.stop_codon:
        return "stop-codon"
    return "no-conserved-anchor"


__all__ = [
    "OLDEST_READABLE_VERSION",
    "VIDJIL_JSON_VERSION",
    "load_document",
    "merging_document",
    "read_vidjil",
    "sample_log",
    "vidjil_document",
    "write_vidjil",
]
