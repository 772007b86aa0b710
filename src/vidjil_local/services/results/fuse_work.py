"""The work of a `fuse` job, in the job's own child process: read the inputs' `.vidjil` files,
write the fused one (the database is written back in the app process, `fused.record_fuse`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidjil_local.results import fuse as fusing
from vidjil_local.services.results.clone_lists import load_document

Progress = Callable[[float], None]


def run_fuse(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Job target: fuse the latest result of each sample of a set into one `.vidjil`."""
    results_dir = Path(params["results_dir"])
    inputs = params["inputs"]
    documents = [load_document(results_dir / item["path"]) for item in inputs]
    samples = [
        fusing.FusedSample(
            sample_id=item["sample_id"],
            name=item["name"],
            sampling_date=item["sampling_date"],
            info=item["info"],
            result_id=item["result_id"],
        )
        for item in inputs
    ]
    document = fusing.fuse(documents, samples)
    document["sample_set_id"] = params["sample_set_id"]
    document["config"] = {"id": params["config_id"], "name": params["config_name"]}
    target = results_dir / params["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".partial")
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
    progress(1.0)
    return {"path": params["path"], "samples": len(inputs), "clones": len(document["clones"])}
