"""The quality figures of results and the read lengths of samples, computed once and kept beside
them: a result never changes once written (a re-run makes a new one), nor does a received file
(its checksum names the cache), so neither is ever recomputed. Files, not rows: they go with the
results when a sample is deleted, and a restore without them only costs a recomputation."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from vidjil_local.db.samples import file_path
from vidjil_local.errors import InputFormatError
from vidjil_local.reads import iter_chunks
from vidjil_local.results import (
    LengthHistogram,
    SampleQuality,
    atomic_text_file,
    load_document,
    sample_quality,
)
from vidjil_local.settings import Settings

QUALITY_VERSION = 2  # bump when SampleQuality changes: older cached figures are recomputed
MAX_LENGTH_READS = 1_000_000  # the read-length distribution of a sample: its first million reads


def _cached_json(path: Path, version: int) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == version else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_text_file(path) as handle:
            json.dump(data, handle)
    except OSError:
        pass  # a read-only or full disk only costs recomputing next time


@lru_cache(maxsize=4096)
def result_quality(vidjil: Path) -> SampleQuality:
    """The figures of a one-sample result (its `.vidjil` file), from `quality.json` beside it."""
    cache = vidjil.with_name(vidjil.name + ".quality.json")
    cached = _cached_json(cache, QUALITY_VERSION)
    if cached is not None:
        return SampleQuality.from_json(cached["quality"])
    quality = sample_quality(load_document(vidjil))
    _write_json(cache, {"version": QUALITY_VERSION, "quality": quality.to_json()})
    return quality


def read_lengths(settings: Settings, sample: dict[str, Any]) -> LengthHistogram | None:
    """The lengths of the sample's reads (file 1), None when its file is gone or unreadable."""
    path = file_path(settings, sample, 1)
    if path is None or not sample.get("sha256") or not path.is_file():
        return None
    cache = settings.results_dir / "quality" / f"reads-{sample['id']}-{sample['sha256'][:16]}.json"
    cached = _cached_json(cache, QUALITY_VERSION)
    if cached is not None:
        counts = {int(length): int(count) for length, count in cached["counts"].items()}
        return LengthHistogram(counts, int(cached["reads"]), bool(cached["complete"]))
    histogram = _count_lengths(path)
    if histogram is not None:
        _write_json(
            cache,
            {
                "version": QUALITY_VERSION,
                "counts": {str(length): count for length, count in histogram.counts.items()},
                "reads": histogram.reads,
                "complete": histogram.complete,
            },
        )
    return histogram


def _count_lengths(path: Path) -> LengthHistogram | None:
    counts: dict[int, int] = {}
    reads = 0
    try:
        for chunk in iter_chunks([path]):
            for sequence in chunk.sequences[: MAX_LENGTH_READS - reads]:
                counts[len(sequence)] = counts.get(len(sequence), 0) + 1
            reads = min(reads + len(chunk), MAX_LENGTH_READS)
            if reads >= MAX_LENGTH_READS:
                return LengthHistogram(dict(sorted(counts.items())), reads, complete=False)
    except (InputFormatError, OSError):
        return None
    return LengthHistogram(dict(sorted(counts.items())), reads, complete=True)
