"""What each kind of job runs, as importable "module:function" names (spawn-safe).

`target(params, progress) -> dict` runs in the job's own child process; it raises a `VidjilError`
for a failure that retrying will not fix (bad input), anything else counts as a crash and is
retried. `on_complete(database, job, result)`, when given, runs in the app process after the
target succeeded, before the job is marked completed: it records what the job produced (rows,
follow-up jobs) with the app's single writer. If it raises, the job is marked failed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    target: str
    on_complete: str | None = None


JOB_KINDS: dict[str, JobKind] = {
    "diagnostics": JobKind("vidjil_local.services.admin.diagnostics:cpu_check"),
    "analysis": JobKind(
        "vidjil_local.services.analyses.work:run_analysis",
        on_complete="vidjil_local.services.analyses.record:record_analysis",
    ),
    "fuse": JobKind(
        "vidjil_local.services.results.fuse_work:run_fuse",
        on_complete="vidjil_local.services.results.fused:record_fuse",
    ),
}
