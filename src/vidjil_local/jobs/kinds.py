"""What each kind of job runs: its parameters' model, its work and how its result is recorded.

`work(params, progress) -> dict` runs in the job's own child process (spawned: the function and
the params model travel by reference, so both must be importable module attributes); it raises
a `VidjilError` for a failure that retrying will not fix (bad input), anything else counts as a
crash and is retried. `record(database, job, params, result) -> job ids`, when given, runs in the
app process after the work succeeded, before the job is marked completed: it records what the
job produced (rows, follow-up jobs) with the app's single writer, and returns the jobs it queued,
which the runtime sends at once. If it raises, the job is marked failed. A `parallel` kind can
use more than one core: it is given a share of the machine's cores (`jobs/cores.py`), read from
its reporter's `cores()`. A kind with `ship` may also run on a worker machine: it says which
files the worker fetches and which parameters become paths there (`db/job_files.py`). A kind
with `relocate` names files in its parameters: at each start, the queued jobs' paths are made
again from the current settings (a data folder restored or moved elsewhere, another sequences_dir
or results_dir), or they would read and write the old folder's files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from vidjil_local.db import Database
from vidjil_local.db.job_files import Shipment
from vidjil_local.db.jobs import Job, JobParams, Reporter
from vidjil_local.services.admin.diagnostics import DiagnosticsParams, cpu_check
from vidjil_local.services.analyses.params import AnalysisParams, relocated_analysis
from vidjil_local.services.analyses.record import record_analysis
from vidjil_local.services.analyses.shipping import shipment
from vidjil_local.services.analyses.work import run_analysis
from vidjil_local.services.results.fuse_params import FuseParams, relocated_fuse
from vidjil_local.services.results.fuse_work import run_fuse
from vidjil_local.services.results.fused import record_fuse
from vidjil_local.settings import Settings

P = TypeVar("P", bound=JobParams)


@dataclass(frozen=True)
class JobKind(Generic[P]):
    params: type[P]
    work: Callable[[P, Reporter], dict[str, Any]]
    record: Callable[[Database, Job, P, dict[str, Any]], list[int]] | None = None
    parallel: bool = False
    # how the job travels to a worker machine; None: it runs only in this app
    ship: Callable[[Database, Settings, P], Shipment] | None = None
    # the parameters with their paths made from the current settings (see the module's doc)
    relocate: Callable[[Database, Settings, P], P] | None = None


JOB_KINDS: dict[str, JobKind[Any]] = {
    "diagnostics": JobKind(DiagnosticsParams, cpu_check),
    "analysis": JobKind(
        AnalysisParams,
        run_analysis,
        record_analysis,
        parallel=True,
        ship=shipment,
        relocate=relocated_analysis,
    ),
    "fuse": JobKind(FuseParams, run_fuse, record_fuse, relocate=relocated_fuse),
}
