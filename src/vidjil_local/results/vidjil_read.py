"""Reading `.vidjil` files, ours or made elsewhere (vidjil-algo, another vidjil-local), into an
`AnalysisResult`: the inverse of `vidjil.py`, positions converted back to 0-based half-open.

A file made elsewhere may hold anything anywhere, so every value is checked with
`results/fields.py` and any problem is one `InputFormatError` naming the field
(`clones[3].reads[0]: inf is not a whole number`); the file's nesting is measured before it is
decoded. Nothing else escapes, whatever the bytes (tests/unit/results/test_import_totality.py).
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
from vidjil_local.results.fields import (
    MAX_WHOLE,
    FieldError,
    items,
    mapping,
    optional,
    real,
    shown,
    text,
    whole,
)
from vidjil_local.results.json_depth import MAX_JSON_DEPTH, nests_deeper_than

OLDEST_READABLE_VERSION = "2014.09"  # what Vidjil's client still accepts
MAX_TAG = 100  # tag indices kept from a file (Vidjil's are 0-13; the client shows those it knows)


def read_vidjil(path: str | os.PathLike[str]) -> AnalysisResult:
    """Read a `.vidjil` file (ours or vidjil-algo's) back into an `AnalysisResult`; any problem
    is an InputFormatError naming the field (`details.field`)."""
    where = str(path)
    document = load_document(where)
    try:
        return _parse_document(document)
    except FieldError as error:
        raise InputFormatError(
            f"{error.field}: {error.problem}", where, field=error.field
        ) from None


def load_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A `.vidjil` file as its JSON object, checked to be one of a version Vidjil reads."""
    where = str(path)
    try:
        raw = Path(where).read_bytes()
    except OSError as error:
        raise InputFormatError(f"cannot read ({error.strerror})", where) from None
    if nests_deeper_than(raw, MAX_JSON_DEPTH):
        raise InputFormatError(f"nests deeper than {MAX_JSON_DEPTH} levels", where)
    try:
        document = json.loads(raw.decode("utf-8-sig"))  # a BOM of a Windows editor skipped
    except UnicodeDecodeError as error:
        raise InputFormatError(f"not UTF-8 text (byte {error.start})", where) from None
    except ValueError as error:  # also numbers of more than 4,300 digits
        line = getattr(error, "lineno", None)
        raise InputFormatError(f"not JSON ({error})", where, line) from None
    if not isinstance(document, dict):
        raise InputFormatError("not a .vidjil JSON object", where)
    version = document.get("vidjil_json_version")
    if not isinstance(version, str) or version < OLDEST_READABLE_VERSION:
        raise InputFormatError(f"unsupported vidjil_json_version {shown(version)}", where)
    return document


def _parse_document(document: dict[str, Any]) -> AnalysisResult:
    samples_part = mapping(document.get("samples"), "samples")
    reads = mapping(optional(document, "reads", {}), "reads")
    names = items(samples_part.get("original_names"), "samples.original_names")
    count = whole(optional(samples_part, "number", len(names)), "samples.number", 0, len(names))
    samples = [_parse_sample(samples_part, reads, index, names) for index in range(count)]
    for index, sample in enumerate(samples):
        measures.parse_sample_measures(document, sample, index)
    clones = items(optional(document, "clones", []), "clones")
    timestamp = document.get("timestamp", "")  # old files write a list of one
    parsed = [_parse_clone(clone, count, f"clones[{n}]") for n, clone in enumerate(clones)]
    return AnalysisResult(
        samples=samples,
        clones=parsed,
        producer=str(document.get("producer", "")),
        timestamp=str(_at(timestamp, 0, "") if isinstance(timestamp, list) else timestamp),
        clusters=_clusters(document.get("clusters")),
    )


def _clusters(value: Any) -> list[list[str]]:
    """`clusters` as Vidjil's client reads them: lists of clone ids, the first one standing for
    the others. Kept whole (a split file's samples each keep them, the fuse joins them over the
    clones it keeps); what is not a list of ids, or merges nothing, is left out, as there."""
    clusters = []
    for cluster in value if isinstance(value, list) else []:
        ids = [i for i in cluster if isinstance(i, str)] if isinstance(cluster, list) else []
        if len(set(ids)) > 1:
            clusters.append(list(dict.fromkeys(ids)))
    return clusters


def _tag(value: Any) -> int | None:
    """A clone's tag as Vidjil writes it (3 or "3"); anything else is no tag, as in its client."""
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) < 3:  # not "²": int() refuses it
        value = int(digits)
    if isinstance(value, float) and value.is_integer():  # 3.0 is 3 in JSON, as in Vidjil's client
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_TAG:
        return value
    return None


def _at(values: Any, index: int, default: Any) -> Any:
    """The `index`-th per-sample value of an optional list."""
    if isinstance(values, list) and index < len(values):
        return values[index]
    return default


def _per_sample_counts(part: Any, index: int, field: str) -> dict[str, int]:
    """{name: count of sample `index`} of an optional object of per-sample lists."""
    return {
        str(name): whole(_at(values, index, 0), f"{field}.{name}[{index}]")
        for name, values in mapping({} if part is None else part, field).items()
    }


def _parse_sample(
    samples: dict[str, Any], reads: dict[str, Any], index: int, names: list[Any]
) -> SampleResult:
    def count(key: str) -> int:
        return whole(_at(reads.get(key), index, 0), f"reads.{key}[{index}]")

    merging_field = f"samples._merging[{index}]"
    merging, unmerged_reads = parse_merging(
        _at(samples.get("_merging"), index, None), merging_field
    )
    return SampleResult(
        original_name=text(names[index], f"samples.original_names[{index}]"),
        total_reads=count("total"),
        segmented_reads=count("segmented"),
        reads_per_locus=_per_sample_counts(reads.get("germline"), index, "reads.germline"),
        unsegmented=_per_sample_counts(reads.get("_unsegmented"), index, "reads._unsegmented"),
        producer=str(_at(samples.get("producer"), index, "")),
        command_line=str(_at(samples.get("commandline"), index, "")),
        timestamp=str(_at(samples.get("timestamp"), index, "")),
        log=str(_at(samples.get("log"), index, "")),
        merging=merging,
        unmerged_reads=unmerged_reads,
    )


def _parse_clone(value: Any, samples: int, field: str) -> CloneResult:
    clone = mapping(value, field)
    sequence = clone.get("sequence") or ""
    sequence = sequence if isinstance(sequence, str) else ""  # vidjil-algo writes 0 for none
    counts = items(clone.get("reads"), f"{field}.reads")
    reads = [whole(count, f"{field}.reads[{n}]") for n, count in enumerate(counts)]
    if len(reads) > samples:
        raise FieldError(f"{field}.reads", f"{len(reads)} read counts for {samples} samples")
    reads += [0] * (samples - len(reads))  # Vidjil's client reads a missing count as none
    clone_id = text(clone.get("id"), f"{field}.id")
    locus = text(clone.get("germline"), f"{field}.germline")
    lengths = items(optional(clone, "_average_read_length", []), f"{field}._average_read_length")
    seg = optional(clone, "seg", {})
    warnings = items(optional(clone, "warn", []), f"{field}.warn")
    return CloneResult(
        clone_id=clone_id,
        locus=locus,
        reads=reads,
        sequence=sequence,
        top=whole(optional(clone, "top", 0), f"{field}.top"),
        window_start=sequence.find(clone_id),
        average_read_length=[
            real(length, f"{field}._average_read_length[{n}]") for n, length in enumerate(lengths)
        ],
        designation=_parse_seg(mapping(seg, f"{field}.seg"), locus, sequence, f"{field}.seg")
        if seg
        else None,
        warnings=[_parse_warning(w, f"{field}.warn[{n}]") for n, w in enumerate(warnings)],
        v_identity=measures.parse_identity(
            seg.get("v_identity") if isinstance(seg, dict) else None, f"{field}.seg.v_identity"
        ),
        given_name=name.strip() if isinstance(name := clone.get("name"), str) else "",
        tag=_tag(clone.get("tag")),
    )


def _parse_warning(value: Any, field: str) -> CloneWarning:
    warning = mapping(value, field)
    return CloneWarning(
        code=str(warning.get("code", "")),
        message=str(warning.get("msg", "")),
        level=str(warning.get("level", "warn")),
    )


def _position(part: dict[str, Any], key: str, default: int, field: str) -> int:
    return whole(optional(part, key, default), f"{field}.{key}", -MAX_WHOLE)


def _parse_segment(seg: dict[str, Any], key: str, field: str) -> SegmentMatch | None:
    segment = seg.get(key)
    where = f"{field}.{key}"
    if segment is None:
        return None
    if isinstance(segment, str):  # old files: just the name
        return SegmentMatch(name=segment, start=-1, end=-1) if segment else None
    part = mapping(segment, where)
    if not part.get("name"):
        return None
    return SegmentMatch(
        name=text(part["name"], f"{where}.name"),
        start=_position(part, "start", 0, where) - 1,
        end=_position(part, "stop", -1, where),
        deleted_5=_position(part, "delLeft", 0, where),
        deleted_3=_position(part, "delRight", 0, where),
    )


def _parse_seg(seg: dict[str, Any], locus: str, sequence: str, field: str) -> Designation:
    v, d, d2, j = (_parse_segment(seg, key, field) for key in ("5", "4", "4b", "3"))
    junction = mapping(optional(seg, "junction", {}), f"{field}.junction")
    start = _position(junction, "start", 0, f"{field}.junction") - 1 if junction else -1
    end = _position(junction, "stop", -1, f"{field}.junction") if junction else -1
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


def parse_merging(document: Any, field: str) -> tuple[MergeStatistics | None, str]:
    """A sample's `_merging` entry back into statistics (None for a single-end sample)."""
    if document is None:
        return None, ""
    part = mapping(document, field)

    def count(key: str) -> int:
        return whole(optional(part, key, 0), f"{field}.{key}")

    merging = MergeStatistics()
    merging.pairs, merging.merged = count("pairs"), count("merged")
    for reason, number in mapping(optional(part, "unmerged", {}), f"{field}.unmerged").items():
        where = f"{field}.unmerged.{reason}"
        if str(reason).upper() not in MergeFailure.__members__:
            raise FieldError(where, f"{shown(reason)} is not a reason a pair is left unmerged")
        merging.failures[MergeFailure[str(reason).upper()]] = whole(number, where)
    merging.kept, merging.staggered = count("unmerged_reads"), count("staggered")
    merging.mismatches = count("mismatches")
    lengths = mapping(optional(part, "overlap_lengths", {}), f"{field}.overlap_lengths")
    merging.overlaps = {
        whole(_number(length), f"{field}.overlap_lengths"): whole(n, f"{field}.overlap_lengths")
        for length, n in lengths.items()
    }
    return merging, str(optional(part, "unmerged_analysed", ""))


def _number(key: str) -> Any:
    """An object key that should hold a number (JSON keys are text)."""
    return int(key) if key.isdigit() and len(key) <= 15 else key
