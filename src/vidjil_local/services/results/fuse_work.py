"""The work of a `fuse` job, in the job's own child process: read the inputs' `.vidjil` files,
write the fused one (the database is written back in the app process, `fused.record_fuse`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vidjil_local.results import FusedSample, fuse, load_document
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
    return fuse(documents, samples)


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
