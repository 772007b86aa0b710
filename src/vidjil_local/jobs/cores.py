"""The cores of one machine shared by the jobs running on it.

The app may use `total` cores (the `workers_pool` setting, else the CPUs minus one) and runs at
most `total` jobs at once. Every running job holds one core; the cores left over go to the jobs
that can use more than one (analyses, `JobKind.parallel`), evenly, the oldest first when they do
not divide. So a lone analysis uses every core, two share them, and the shares never add up to
more than `total`. A job learns its share from `share(job_id)` while it runs (its supervisor
passes changes on to the job's process, `jobs/child.py`), and its pool follows between chunks.
"""

from __future__ import annotations

import threading


class CoreBudget:
    def __init__(self, total: int) -> None:
        self.total = max(1, total)
        self._lock = threading.Lock()
        self._jobs: dict[int, bool] = {}  # running job id -> parallel, in the order they joined

    def join(self, job_id: int, *, parallel: bool) -> None:
        with self._lock:
            self._jobs[job_id] = parallel

    def leave(self, job_id: int) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def share(self, job_id: int) -> int:
        """The cores `job_id` may use now (1 for a job that is not running or not parallel)."""
        with self._lock:
            return self._shares().get(job_id, 1)

    def shares(self) -> dict[int, int]:
        with self._lock:
            return self._shares()

    def _shares(self) -> dict[int, int]:
        parallel = [job_id for job_id, can in self._jobs.items() if can]
        spare = max(0, self.total - len(self._jobs))
        shares = dict.fromkeys(self._jobs, 1)
        if parallel:
            each, left = divmod(spare, len(parallel))
            for rank, job_id in enumerate(parallel):
                shares[job_id] += each + (1 if rank < left else 0)
        return shares
