"""The in-app job runtime against a real SQLite file, with real spawned job processes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jobkinds import TEST_KINDS, MarkerParams, NoParams, SleepParams, WatchParams
from tests.waiting import wait_until
from vidjil_local.db import Database, jobs
from vidjil_local.errors import UsageError
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs import runtime as runtime_module
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.settings import Settings
from vidjil_local.settings.table import BY_NAME


def wait_for(
    database: Database, job_id: int, states: tuple[str, ...], timeout: float = 60
) -> jobs.Job:
    def finished() -> jobs.Job | None:
        job = jobs.get(database, job_id)
        return job if job.status in states else None

    return wait_until(
        finished,
        timeout=timeout,
        what=lambda: f"job {job_id} still {jobs.get(database, job_id).status}",
    )


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

    job = runtime.submit("diagnostics", DiagnosticsParams(seconds=0.5))
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "completed", done.error
    assert done.progress == 1.0 and done.attempts == 1
    assert done.result is not None and done.result["process_id"] != os.getpid()
    assert done.started_at is not None and done.finished_at is not None


def test_bad_parameters_fail_once_with_a_readable_error(
    runtime: JobRuntime, database: Database
) -> None:
    with pytest.raises(UsageError, match="seconds: Input should be greater than 0"):
        DiagnosticsParams.checked(seconds=-3)
    with database.write() as db:  # a row written by another process or an older version
        job_id = int(
            db.table("jobs")
            .insert(
                {
                    "kind": "diagnostics",
                    "params": '{"seconds": -3}',
                    "status": "queued",
                    "created_at": "2026-01-01T00:00:00.000+00:00",
                }
            )
            .last_pk
            or 0
        )
    runtime.enqueue(job_id)
    done = wait_for(database, job_id, ("completed", "failed"))
    assert done.status == "failed" and done.attempts == 1
    assert done.error is not None and "seconds" in done.error["message"]


def test_a_crashed_process_is_retried(
    runtime: JobRuntime, database: Database, tmp_path: Path
) -> None:
    job = runtime.submit("crash_once", MarkerParams(marker=tmp_path / "marker"))
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "completed" and done.attempts == 2
    assert done.result == {"attempt": 2}


def test_retries_are_bounded(runtime: JobRuntime, database: Database) -> None:
    job = runtime.submit("always_raise", NoParams())
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "failed" and done.attempts == 2  # job_max_retries = 1
    assert done.error is not None, done
    # the user reads that it is the app's fault; the admin finds the cause in the traceback
    assert done.error["message"] == "internal error (RuntimeError): see the server log"
    assert "a bug in the job" in done.error["traceback"]


def test_a_full_disk_fails_the_job_once_with_a_clear_error(
    runtime: JobRuntime, database: Database
) -> None:
    job = runtime.submit("disk_full", NoParams())
    done = wait_for(database, job.id, ("completed", "failed"))
    assert done.status == "failed" and done.attempts == 1, "no retry: it would fail the same way"
    assert done.error is not None and done.error["code"] == "disk_full", done.error
    assert done.error["message"].startswith("the data disk became full"), done.error


def test_cancel_kills_the_running_process(runtime: JobRuntime, database: Database) -> None:
    """A job of an hour is cancelled, not waited for: its end is the kill, however busy the
    machine (no bound on how long the cancel may take, other than the wait's)."""
    job = runtime.submit("sleep", SleepParams(seconds=3600))
    wait_for(database, job.id, ("running",))
    jobs.request_cancel(database, job.id)
    done = wait_for(database, job.id, ("cancelled", "completed", "failed"), timeout=60)
    assert done.status == "cancelled" and done.result is None


def test_cancel_a_queued_job(settings: Settings, database: Database) -> None:
    job = jobs.submit(database, lambda job_id: None, "sleep", SleepParams(seconds=1))
    assert jobs.request_cancel(database, job.id).status == "cancelled"


def test_time_limit_stops_the_process(settings: Settings, database: Database) -> None:
    runtime = JobRuntime(settings.with_values(job_time_limit=1), database, TEST_KINDS)
    runtime.start()
    try:
        job = runtime.submit("sleep", SleepParams(seconds=30))
        done = wait_for(database, job.id, ("completed", "failed"), timeout=20)
    finally:
        runtime.stop()
    assert done.status == "failed"
    assert done.error is not None and done.error["code"] == "timeout"


def test_jobs_left_queued_or_running_are_taken_up_at_start(
    settings: Settings, database: Database
) -> None:
    queued = jobs.submit(
        database, lambda job_id: None, "diagnostics", DiagnosticsParams(seconds=0.2)
    )
    interrupted = jobs.submit(
        database, lambda job_id: None, "diagnostics", DiagnosticsParams(seconds=0.2)
    )
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
    job = jobs.submit(database, lambda job_id: None, "diagnostics", DiagnosticsParams(seconds=0.2))
    assert wait_for(database, job.id, ("completed", "failed")).status == "completed"


def test_a_claim_is_atomic(database: Database) -> None:
    job = jobs.submit(database, lambda job_id: None, "diagnostics", DiagnosticsParams())
    assert jobs.claim(database, job.id) is not None
    assert jobs.claim(database, job.id) is None


def test_unknown_kind_is_refused(runtime: JobRuntime) -> None:

    with pytest.raises(UsageError, match="unknown job kind"):
        runtime.submit("no-such-kind", NoParams())


def test_on_complete_records_the_result_in_the_app_process(
    settings: Settings, database: Database
) -> None:
    runtime = JobRuntime(settings, database, TEST_KINDS)
    runtime.start()
    try:
        kept = runtime.submit("kept", SleepParams(seconds=0.1), sample_id=None)
        refused = runtime.submit("refused", SleepParams(seconds=0.1))
        kept_done = wait_for(database, kept.id, ("completed", "failed"))
        refused_done = wait_for(database, refused.id, ("completed", "failed"))
    finally:
        runtime.stop()
    assert kept_done.status == "completed"
    assert database.db().table("meta").get(f"job-{kept.id}")["value"] == "0.1"
    assert refused_done.status == "failed" and refused_done.attempts == 1
    assert refused_done.error is not None
    assert "cannot be stored" in refused_done.error["message"]


def test_jobs_queued_by_a_record_hook_are_sent_at_once(
    settings: Settings, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finished analysis sends its fuse itself: with no sweep, the follow-up still runs."""
    monkeypatch.setattr(runtime_module, "SWEEP_SECONDS", 3600.0)
    runtime = JobRuntime(settings, database, TEST_KINDS)
    runtime.start()
    try:
        first = runtime.submit("chained", SleepParams(seconds=0.1))
        assert wait_for(database, first.id, ("completed", "failed")).status == "completed"
        follow_up = max(job.id for job in jobs.list_jobs(database))
        assert follow_up > first.id
        assert (
            wait_for(database, follow_up, ("completed", "failed"), timeout=20).status == "completed"
        )
    finally:
        runtime.stop()


def test_running_jobs_share_the_cores_a_lone_one_has_them_all(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    runtime = JobRuntime(settings.with_values(workers_pool=4), database, TEST_KINDS)
    runtime.start()
    try:
        until = tmp_path / "b-done"
        watch = WatchParams(seconds=1, started=tmp_path / "a", until=until, back_to=4)
        first = runtime.submit("watch_cores", watch)
        wait_until(lambda: (tmp_path / "a").exists(), timeout=30, what="the first job did not run")
        watch = WatchParams(seconds=1, started=tmp_path / "b", finished=until)
        second = runtime.submit("watch_cores", watch)
        single = runtime.submit("sleep", SleepParams(seconds=0.5))
        done = [wait_for(database, job.id, ("completed", "failed")) for job in (first, second)]
        wait_for(database, single.id, ("completed",))
    finally:
        runtime.stop()
    alone, shared = (job.result["cores"] if job.result else [] for job in done)
    assert alone[0] == 4 and alone[-1] == 4  # alone at the start and at the end
    assert min(alone) in (1, 2) and shared[0] in (1, 2)  # two (or two and a sleep) share four
    assert max(shared) <= 3


@pytest.mark.skipif(sys.platform == "win32", reason="niceness is a POSIX notion")
@pytest.mark.parametrize("niceness", [0, 7])
def test_jobs_run_nicer_than_the_server_as_set(
    settings: Settings, database: Database, niceness: int
) -> None:
    """The pages stay quick while analyses run: a job and the processes it starts leave the
    processor to the server when both want it (`job_niceness`, default 10)."""
    runtime = JobRuntime(settings.with_values(job_niceness=niceness), database, TEST_KINDS)
    runtime.start()
    try:
        job = runtime.submit("report_priority", NoParams())
        done = wait_for(database, job.id, ("completed", "failed"))
    finally:
        runtime.stop()
    assert done.status == "completed", done.error
    expected = min(19, os.nice(0) + niceness)
    assert done.result == {"niceness": expected, "pool_niceness": expected}


def test_jobs_are_nicer_than_the_server_by_default() -> None:
    assert BY_NAME["job_niceness"].default == 10
