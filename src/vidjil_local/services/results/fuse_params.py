"""The parameters of a `fuse` job: queued in the app process (`fused.queue_fuse`), read by the
child process that writes the fused file (`fuse_work`) and by `fused.record_fuse`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from vidjil_local.db import Database
from vidjil_local.db.jobs import JobParams
from vidjil_local.settings import Settings


class FuseInput(BaseModel):
    """The latest result of one sample of the set, as the fused file will name it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    result_id: int
    sample_id: int
    name: str
    sampling_date: str | None
    info: str
    path: str  # the result's `.vidjil`, relative to `results_dir`


class FuseParams(JobParams):
    sample_set_id: int
    config_id: int
    config_name: str
    inputs: tuple[FuseInput, ...]  # in the set's sample order
    results_dir: Path
    path: str  # the fused `.vidjil` to write, relative to `results_dir`

    @property
    def result_ids(self) -> list[int]:
        return [item.result_id for item in self.inputs]


def relocated_fuse(database: Database, settings: Settings, params: FuseParams) -> FuseParams:
    """A queued fuse writing into the current results_dir, not the one of its launch."""
    return params.model_copy(update={"results_dir": settings.results_dir})
