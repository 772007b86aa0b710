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
from pathlib import Path
from typing import Any

from vidjil_local.core.merge_stats import MergeStatistics
from vidjil_local.core.merging import MergeFailure
from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    CloneWarning,
    Designation,
    SampleResult,
    SegmentMatch,
)
from vidjil_local.errors import InputFormatError
from vidjil_local.results import measures
from vidjil_local.results._atomic import atomic_text_file

VIDJIL_JSON_VERSION = "2016b"
OLDEST_READABLE_VERSION = "2014.09"  # what Vidjil's client still accepts


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


def parse_merging(document: Any) -> tuple[MergeStatistics | None, str]:
    """A sample's `_merging` entry back into statistics (None for a single-end sample)."""
    if not isinstance(document, dict):
        return None, ""
    merging = MergeStatistics()
    merging.pairs = int(document.get("pairs", 0))
    merging.merged = int(document.get("merged", 0))
    for reason, count in (document.get("unmerged") or {}).items():
        merging.failures[MergeFailure[str(reason).upper()]] = int(count)
    merging.kept = int(document.get("unmerged_reads", 0))
    merging.staggered = int(document.get("staggered", 0))
    merging.mismatches = int(document.get("mismatches", 0))
    lengths = document.get("overlap_lengths") or {}
    merging.overlaps = {int(length): int(count) for length, count in lengths.items()}
    return merging, str(document.get("unmerged_analysed", ""))


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


def read_vidjil(path: str | os.PathLike[str]) -> AnalysisResult:
    """Read a `.vidjil` file (ours or vidjil-algo's) back into an `AnalysisResult`."""
    where = str(path)
    document = load_document(where)
    try:
        return _parse_document(document)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        message = f"not a usable .vidjil file ({type(error).__name__}: {error})"
        raise InputFormatError(message, where) from None


def load_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A `.vidjil` file as its JSON object, checked to be one of a version Vidjil reads."""
    where = str(path)
    try:
        document = json.loads(Path(where).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputFormatError(f"cannot read ({error.strerror})", where) from None
    except ValueError as error:
        line = getattr(error, "lineno", None)
        raise InputFormatError(f"not JSON ({error})", where, line) from None
    if not isinstance(document, dict):
        raise InputFormatError("not a .vidjil JSON object", where)
    version = document.get("vidjil_json_version")
    if not isinstance(version, str) or version < OLDEST_READABLE_VERSION:
        raise InputFormatError(f"unsupported vidjil_json_version {version!r}", where)
    return document


def _parse_document(document: dict[str, Any]) -> AnalysisResult:
    samples_part = document["samples"]
    reads = document.get("reads", {})
    count = int(samples_part["number"])
    samples = [_parse_sample(samples_part, reads, index) for index in range(count)]
    for index, sample in enumerate(samples):
        measures.parse_sample_measures(document, sample, index)
    clones = [_parse_clone(clone, count) for clone in document.get("clones") or []]
    return AnalysisResult(
        samples=samples,
        clones=clones,
        producer=str(document.get("producer", "")),
        timestamp=str(document.get("timestamp", "")),
    )


def _at(values: Any, index: int, default: Any) -> Any:
    """The `index`-th per-sample value of an optional list."""
    if isinstance(values, list) and index < len(values):
        return values[index]
    return default


def _parse_sample(samples: dict[str, Any], reads: dict[str, Any], index: int) -> SampleResult:
    germline = reads.get("germline") or {}
    unsegmented = reads.get("_unsegmented") or {}
    merging, unmerged_reads = parse_merging(_at(samples.get("_merging"), index, None))
    return SampleResult(
        original_name=str(samples["original_names"][index]),
        total_reads=int(_at(reads.get("total"), index, 0)),
        segmented_reads=int(_at(reads.get("segmented"), index, 0)),
        reads_per_locus={locus: int(_at(v, index, 0)) for locus, v in germline.items()},
        unsegmented={reason: int(_at(v, index, 0)) for reason, v in unsegmented.items()},
        producer=str(_at(samples.get("producer"), index, "")),
        command_line=str(_at(samples.get("commandline"), index, "")),
        timestamp=str(_at(samples.get("timestamp"), index, "")),
        log=str(_at(samples.get("log"), index, "")),
        merging=merging,
        unmerged_reads=unmerged_reads,
    )


def _parse_clone(clone: dict[str, Any], samples: int) -> CloneResult:
    sequence = clone.get("sequence") or ""
    sequence = sequence if isinstance(sequence, str) else ""  # vidjil-algo writes 0 for none
    reads = [int(value) for value in clone["reads"]]
    if len(reads) != samples:
        raise ValueError(f"clone {clone['id']!r} has {len(reads)} read counts for {samples}")
    seg = clone.get("seg")
    warnings = [_parse_warning(w) for w in clone.get("warn") or []]
    return CloneResult(
        clone_id=str(clone["id"]),
        locus=str(clone["germline"]),
        reads=reads,
        sequence=sequence,
        top=int(clone.get("top", 0)),
        window_start=sequence.find(str(clone["id"])),
        average_read_length=[float(x) for x in clone.get("_average_read_length") or []],
        designation=_parse_seg(seg, str(clone["germline"]), sequence) if seg else None,
        warnings=warnings,
        v_identity=measures.parse_identity((seg or {}).get("v_identity")),
    )


def _parse_warning(warning: dict[str, Any]) -> CloneWarning:
    return CloneWarning(
        code=str(warning.get("code", "")),
        message=str(warning.get("msg", "")),
        level=str(warning.get("level", "warn")),
    )


def _parse_segment(seg: dict[str, Any], key: str) -> SegmentMatch | None:
    segment = seg.get(key)
    if isinstance(segment, str):  # old files: just the name
        return SegmentMatch(name=segment, start=-1, end=-1) if segment else None
    if not isinstance(segment, dict) or not segment.get("name"):
        return None
    return SegmentMatch(
        name=str(segment["name"]),
        start=int(segment.get("start", 0)) - 1,
        end=int(segment.get("stop", -1)),
        deleted_5=int(segment.get("delLeft", 0)),
        deleted_3=int(segment.get("delRight", 0)),
    )


def _parse_seg(seg: dict[str, Any], locus: str, sequence: str) -> Designation:
    v, d, d2, j = (_parse_segment(seg, key) for key in ("5", "4", "4b", "3"))
    junction = seg.get("junction") or {}
    start = int(junction.get("start", 0)) - 1 if junction else -1
    end = int(junction.get("stop", -1)) if junction else -1
    has_junction = 0 <= start < end <= len(sequence)
    junction_nt = sequence[start:end] if has_junction else ""
    productive = junction.get("productive") if has_junction else None
    return Designation(
        locus=locus,
        v=v,
        d=d,
        j=j,
        d2=d2 if d is not None else None,
        insertion_1=_between(sequence, v, d or j),
        insertion_2=_between(sequence, d, d2 or j) if d is not None else "",
        insertion_3=_between(sequence, d2, j) if d is not None and d2 is not None else "",
        junction_start=start if has_junction else -1,
        junction_end=end if has_junction else -1,
        junction=junction_nt,
        junction_aa=str(junction.get("aa", "")) if has_junction else "",
        vj_in_frame=len(junction_nt) % 3 == 0 if has_junction else None,
        stop_codon=_stop_codon(junction, productive),
        productive=bool(productive) if productive is not None else None,
    )


def _between(sequence: str, left: SegmentMatch | None, right: SegmentMatch | None) -> str:
    if left is None or right is None or left.end < 0 or right.start < left.end:
        return ""
    return sequence[left.end : right.start]


def _stop_codon(junction: dict[str, Any], productive: Any) -> bool | None:
    if productive is None:
        return None
    return junction.get("unproductive") == "stop-codon" or "*" in str(junction.get("aa", ""))
