"""What each kind of job runs in its child process, as an importable "module:function".

A function takes `(params, progress)` and returns a JSON-able dict; it raises a `VidjilError` for
a failure that retrying will not fix (bad input), anything else counts as a crash and is retried.
"""

from __future__ import annotations

JOB_KINDS: dict[str, str] = {
    "diagnostics": "vidjil_local.services.diagnostics:cpu_check",
}
