"""The in-app job runtime against a real SQLite file, with real spawned job processes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidjil_local.db import Database, jobs
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs.kinds import JobKind
from vidjil_local.settings import Settings

TEST_KINDS = {
    "crash_once": JobKind("tests.jobkinds:crash_once"),
    "always_raise": JobKind("tests.jobkinds:always_raise"),
    "sleep": JobKind("tests.jobkinds:sleep"),
}


def wait_for(
    database: Database, job_id: int, states: tuple[str, ...], timeout: float = 60
) -> jobs.Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.get(database, job_id)
        if job.status in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {jobs.get(database, job_id).status}")


@pytest.fixture
def runtime(settings: Settings, database: Database) -> Iterator[JobRuntime]:
    runtime = JobRuntime(settings.with_values(job_max_retries=1), database, TEST_KINDS)
    runtime.start()
    yield runtime
    runtime.stop()


def test_a_job_runs_in_its_own_process_and_records_its_result(
    runtime: JobRuntime, database: Database
) -> None:
    import os

    job = runtime.submit("diagnostics", {"seconds": 0.5})
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "completed", done.error
    assert done.progress == 1.0 and done.attempts == 1
    assert done.result is not None and done.result["process_id"] != os.getpid()
    assert done.started_at is not None and done.finished_at is not None


def test_bad_parameters_fail_once_with_a_readable_error(
    runtime: JobRuntime, database: Database
) -> None:
    job = runtime.submit("diagnostics", {"seconds": -3})
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "failed" and done.attempts == 1
    assert done.error is not None and "seconds" in done.error["message"]


def test_a_crashed_process_is_retried(
    runtime: JobRuntime, database: Database, tmp_path: Path
) -> None:
    job = runtime.submit("crash_once", {"marker": str(tmp_path / "marker")})
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "completed" and done.attempts == 2
    assert done.result == {"attempt": 2}


def test_retries_are_bounded(runtime: JobRuntime, database: Database) -> None:
    job = runtime.submit("always_raise", {})
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "failed" and done.attempts == 2  # job_max_retries = 1
    assert done.error is not None and "a bug in the job" in done.error["message"]


def test_cancel_kills_the_running_process(runtime: JobRuntime, database: Database) -> None:
    job = runtime.submit("sleep", {"seconds": 30})
    wait_for(database, job.id, ("running",))
    started = time.monotonic()
    jobs.request_cancel(database, job.id)
    done = wait_for(database, job.id, ("cancelled", "completed", "failed"), timeout=10)
    assert done.status == "cancelled"
    assert time.monotonic() - started < 5


def test_cancel_a_queued_job(settings: Settings, database: Database) -> None:
    job = jobs.submit(database, lambda job_id: None, "sleep", {"seconds": 1})
    assert jobs.request_cancel(database, job.id).status == "cancelled"


def test_time_limit_stops_the_process(settings: Settings, database: Database) -> None:
    runtime = JobRuntime(settings.with_values(job_time_limit=1), database, TEST_KINDS)
    runtime.start()
    try:
        job = runtime.submit("sleep", {"seconds": 30})
        done = wait_for(database, job.id, ("completed", "failed"), timeout=20)
    finally:
        runtime.stop()
    assert done.status == "failed"
    assert done.error is not None and done.error["code"] == "timeout"


def test_jobs_left_queued_or_running_are_taken_up_at_start(
    settings: Settings, database: Database
) -> None:
    queued = jobs.submit(database, lambda job_id: None, "diagnostics", {"seconds": 0.2})
    interrupted = jobs.submit(database, lambda job_id: None, "diagnostics", {"seconds": 0.2})
    assert jobs.claim(database, interrupted.id) is not None  # as if a worker died mid-job
    runtime = JobRuntime(settings, database)
    runtime.start()
    try:
        for job_id in (queued.id, interrupted.id):
            assert wait_for(database, job_id, ("completed", "failed")).status == "completed"
    finally:
        runtime.stop()
    assert jobs.get(database, interrupted.id).attempts == 2


def test_rows_written_by_another_process_are_picked_up(
    runtime: JobRuntime, database: Database
) -> None:
    job = jobs.submit(database, lambda job_id: None, "diagnostics", {"seconds": 0.2})
    assert wait_for(database, job.id, ("completed", "failed")).status == "completed"


def test_a_claim_is_atomic(database: Database) -> None:
    job = jobs.submit(database, lambda job_id: None, "diagnostics", {})
    assert jobs.claim(database, job.id) is not None
    assert jobs.claim(database, job.id) is None


def test_unknown_kind_is_refused(runtime: JobRuntime) -> None:
    from vidjil_local.errors import UsageError

    with pytest.raises(UsageError, match="unknown job kind"):
        runtime.submit("no-such-kind", {})


def test_on_complete_records_the_result_in_the_app_process(
    settings: Settings, database: Database
) -> None:
    kinds = {
        "kept": JobKind("tests.jobkinds:sleep", "tests.jobkinds:remember_result"),
        "refused": JobKind("tests.jobkinds:sleep", "tests.jobkinds:refuse_result"),
    }
    runtime = JobRuntime(settings, database, kinds)
    runtime.start()
    try:
        kept = runtime.submit("kept", {"seconds": 0.1}, sample_id=None)
        refused = runtime.submit("refused", {"seconds": 0.1})
        kept_done = wait_for(database, kept.id, ("completed", "failed"))
        refused_done = wait_for(database, refused.id, ("completed", "failed"))
    finally:
        runtime.stop()
    assert kept_done.status == "completed"
    assert database.db().table("meta").get(f"job-{kept.id}")["value"] == "0.1"
    assert refused_done.status == "failed" and refused_done.attempts == 1
    assert refused_done.error is not None
    assert "cannot be stored" in refused_done.error["message"]
