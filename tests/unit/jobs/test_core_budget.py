"""The machine's cores shared by the running jobs (`jobs/cores.py`)."""

from __future__ import annotations

from vidjil_local.jobs.cores import CoreBudget


def test_a_lone_parallel_job_gets_every_core() -> None:
    budget = CoreBudget(8)
    budget.join(1, parallel=True)
    assert budget.share(1) == 8


def test_parallel_jobs_split_the_cores_the_oldest_first() -> None:
    budget = CoreBudget(8)
    for job_id in (1, 2, 3):
        budget.join(job_id, parallel=True)
    assert budget.shares() == {1: 3, 2: 3, 3: 2}
    budget.leave(2)
    assert budget.shares() == {1: 4, 3: 4}


def test_single_core_jobs_hold_one_each_and_the_rest_goes_to_parallel_ones() -> None:
    budget = CoreBudget(4)
    budget.join(1, parallel=False)
    budget.join(2, parallel=True)
    budget.join(3, parallel=False)
    assert budget.shares() == {1: 1, 2: 2, 3: 1}


def test_the_shares_never_add_up_to_more_than_the_total() -> None:
    for total in range(1, 9):
        budget = CoreBudget(total)
        for job_id in range(total):
            budget.join(job_id, parallel=job_id % 3 != 1)
            assert sum(budget.shares().values()) <= total
            assert min(budget.shares().values()) >= 1
        assert sum(budget.shares().values()) == total


def test_a_job_not_running_counts_one_core() -> None:
    budget = CoreBudget(4)
    assert budget.share(7) == 1
    budget.join(7, parallel=True)
    budget.leave(7)
    budget.leave(7)  # twice: harmless
    assert budget.shares() == {}
