"""The parameters of an `analysis` job, decided in the app process when it is launched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidjil_local.errors import Conflict
from vidjil_local.services.analyses import configs, germlines
from vidjil_local.settings import Settings


def sample_path(settings: Settings, sample: dict[str, Any]) -> Path:
    stored = sample.get("stored_name")
    if not stored:
        raise Conflict(f"sample {sample['id']} has no file", sample_id=sample["id"])
    return Path(stored) if sample.get("network") else settings.sequences_dir / str(stored)


def analysis_params(
    settings: Settings, config: configs.Config, sample: dict[str, Any], job_id: int
) -> dict[str, Any]:
    folder = f"{sample['id']}/{job_id}"
    return {
        "sample_id": sample["id"],
        "config_id": config.id,
        "config_name": config.name,
        "program": config.program,
        "germline": germlines.resolve_spec(settings, config.germline),
        "germline_name": config.germline,
        "options": config.options,
        "reads_path": str(sample_path(settings, sample)),
        "original_name": sample["original_name"],
        "folder": folder,
        "output_dir": str(settings.results_dir / folder),
        "results_dir": str(settings.results_dir),
    }
