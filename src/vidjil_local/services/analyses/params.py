"""The parameters of an `analysis` job: decided in the app process when it is launched, stored with
the job row, read back by the child process that does the work and by `record` in the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidjil_local.db import Database
from vidjil_local.db.jobs import JobParams
from vidjil_local.db.samples import file_name
from vidjil_local.errors import Conflict, VidjilError
from vidjil_local.services.analyses import configs, germlines
from vidjil_local.services.confinement import check_still_inside
from vidjil_local.settings import Settings


class AnalysisParams(JobParams):
    sample_id: int
    config_id: int
    config_name: str
    program: configs.Program
    germline: str  # what `load_germline` reads: a bundled name or an imported preset's path
    germline_name: str  # as the config names it
    # checked by `configs.check_options`; `spikes` is a list of {name, sequence, copies, family}
    # bool first: pydantic would make `true` the int 1, which the compiled core refuses as a bool
    options: dict[str, bool | int | float | str | list[dict[str, str | float]]]
    reads_path: Path
    original_name: str  # the user's file name, for messages and result names
    # paired-end samples: R2, whose mates are merged with those of `reads_path` (R1)
    reads_path2: Path | None = None
    original_name2: str | None = None
    original_name1: str | None = None  # R1's own name, when `original_name` names the pair
    # files linked from the file source: read only while still inside it (`confinement`)
    reads_root: Path | None = None
    folder: str  # `<sample id>/<job id>`, relative to `results_dir`
    output_dir: Path
    results_dir: Path


def sample_path(settings: Settings, sample: dict[str, Any], number: int = 1) -> Path:
    stored = sample.get("stored_name" if number == 1 else "stored_name2")
    if not stored:
        raise Conflict(f"sample {sample['id']} has no file", sample_id=sample["id"])
    if not sample.get("network"):
        return settings.sequences_dir / str(stored)
    name = file_name(sample, number)
    return check_still_inside(Path(stored), settings.file_source, str(name))


def analysis_params(
    settings: Settings, *, config: configs.Config, sample: dict[str, Any], job_id: int
) -> AnalysisParams:
    folder = f"{sample['id']}/{job_id}"
    paired = sample.get("original_name2") is not None
    return AnalysisParams(
        sample_id=sample["id"],
        config_id=config.id,
        config_name=config.name,
        program=config.program,
        germline=germlines.resolve_spec(settings, config.germline),
        germline_name=config.germline,
        options=config.options,
        reads_path=sample_path(settings, sample),
        original_name=sample["original_name"],
        reads_path2=sample_path(settings, sample, 2) if paired else None,
        original_name2=sample["original_name2"] if paired else None,
        original_name1=file_name(sample, 1) if paired else None,
        reads_root=settings.file_source if sample.get("network") else None,
        folder=folder,
        output_dir=settings.results_dir / folder,
        results_dir=settings.results_dir,
    )


def relocated_analysis(
    database: Database, settings: Settings, params: AnalysisParams
) -> AnalysisParams:
    """A queued analysis with its paths made from the current settings and its sample's row: one
    of a data folder restored elsewhere read the old folder's sequence file and wrote its results
    into the old folder (another installation's, on the same computer)."""
    sample = next(
        database.db().query("SELECT * FROM samples WHERE id = ?", [params.sample_id]), None
    )
    try:
        if sample is None:
            raise Conflict(f"no sample {params.sample_id}")
        paths = {
            "germline": germlines.resolve_spec(settings, params.germline_name),
            "reads_path": sample_path(settings, sample),
            "reads_path2": sample_path(settings, sample, 2) if params.reads_path2 else None,
            "reads_root": settings.file_source if sample.get("network") else None,
        }
    except VidjilError:  # the file or the germline set is gone: the job says so when it runs
        return params
    return params.model_copy(
        update={
            **paths,
            "output_dir": settings.results_dir / params.folder,
            "results_dir": settings.results_dir,
        }
    )
