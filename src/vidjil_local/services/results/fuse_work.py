"""The work of a `fuse` job, in the job's own child process: read the inputs' `.vidjil` files,
write the fused one (the database is written back in the app process, `fused.record_fuse`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vidjil_local.core.markers import WindowReads, looked_up_windows
from vidjil_local.results import (
    FusedSample,
    fuse,
    load_document,
    read_window_counts,
    window_counts_path,
)
from vidjil_local.results.fuse import kept_ids
from vidjil_local.services.results.fuse_params import FuseInput, FuseParams

Progress = Callable[[float], None]


def fused_document(results_dir: Path, inputs: Sequence[FuseInput]) -> dict[str, Any]:
    """One multi-sample `.vidjil` document from these results, in their order: the fuse of a
    set's job, and the comparison of chosen samples made on the fly."""
    documents = [load_document(results_dir / item.path) for item in inputs]
    samples = [
        FusedSample(
            sample_id=item.sample_id,
            name=item.name,
            sampling_date=item.sampling_date,
            info=item.info,
            result_id=item.result_id,
        )
        for item in inputs
    ]
    # every kept clone counted in each sample down to one read, from its window counts
    wanted = looked_up_windows(sorted(kept_ids(documents)))
    counts = [_window_counts(results_dir / item.path, wanted) for item in inputs]
    return fuse(documents, samples, window_counts=counts)


def run_fuse(params: FuseParams, progress: Progress) -> dict[str, Any]:
    """Fuse the latest result of each sample of a set into one `.vidjil`."""
    document = fused_document(params.results_dir, params.inputs)
    document["sample_set_id"] = params.sample_set_id
    document["config"] = {"id": params.config_id, "name": params.config_name}
    target = params.results_dir / params.path
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".partial")
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
    progress(1.0)
    return {"path": params.path, "samples": len(params.inputs), "clones": len(document["clones"])}


def _window_counts(vidjil: Path, wanted: set[str]) -> list[WindowReads] | None:
    """The window counts next to a result, only the `wanted` windows; None for results that
    have none (imported, or made before window counts were kept)."""
    path = window_counts_path(vidjil)
    return read_window_counts(path, wanted) if path.exists() else None
