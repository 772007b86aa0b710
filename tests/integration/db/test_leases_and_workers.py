"""Leases of worker machines and their tokens, on a real SQLite file: a lease that is not renewed
loses the job to the queue, a stale attempt can neither report nor be taken back twice, the app's
restart keeps the jobs of worker machines, tokens are kept as hashes and revocation is final."""

from __future__ import annotations

import pytest

from vidjil_local.db import Database, jobs, leases
from vidjil_local.errors import NotAuthenticated, UsageError
from vidjil_local.services import audit
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.services.workers import registry

ADMIN = audit.Actor(None, "admin@lab.example")


def queued_job(database: Database) -> int:
    with database.write() as db:
        return jobs.insert(db, "diagnostics", DiagnosticsParams(seconds=0.1))


def worker(database: Database, name: str = "bench") -> int:
    return registry.create(database, ADMIN, name).worker.id


def test_a_lease_not_renewed_puts_the_job_back_and_the_old_attempt_is_refused(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id, first, second = queued_job(database), worker(database), worker(database, "other")
    held = leases.claim(database, job_id, first, 60, ["diagnostics"])
    assert held is not None and held.worker_id == first and held.attempts == 1
    assert leases.claim(database, job_id, second, 60, ["diagnostics"]) is None  # taken
    assert leases.renew(database, job_id, first, 1, 60, progress=0.5) is False
    assert leases.expired(database) == []
    with monkeypatch.context() as clock:  # a minute and more later, the lease not renewed
        clock.setattr(leases, "now", lambda: leases.later(61))
        [late] = leases.expired(database)
        assert late.id == job_id
        assert leases.take_back(database, job_id, retry=True)
        assert not leases.take_back(database, job_id, retry=True)  # once
    back = jobs.get(database, job_id)
    assert back.status == "queued" and back.worker_id is None
    assert back.error is not None and back.error["code"] == "worker_lost"

    again = leases.claim(database, job_id, second, 60, ["diagnostics"])
    assert again is not None and again.attempts == 2
    with pytest.raises(leases.LeaseLost):
        leases.renew(database, job_id, first, 1, 60)  # the killed worker, back too late
    assert leases.running_on(database, second) == [job_id]


def a_minute_later(clock: pytest.MonkeyPatch) -> None:
    """The leases' clock moved 61 s on: a 60 s lease not renewed has expired, without waiting."""
    real_later = leases.later
    clock.setattr(leases, "now", lambda: real_later(61))
    clock.setattr(leases, "later", lambda seconds: real_later(seconds + 61))


def test_a_job_of_another_kind_is_not_claimed_and_the_last_attempt_fails(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id, bench = queued_job(database), worker(database)
    assert leases.claim(database, job_id, bench, 60, ["analysis"]) is None
    assert leases.claim(database, job_id, bench, 60, ["diagnostics"]) is not None
    assert not leases.take_back(database, job_id, retry=False)  # its lease still runs
    with monkeypatch.context() as clock:
        a_minute_later(clock)
        assert leases.take_back(database, job_id, retry=False)
    failed = jobs.get(database, job_id)
    assert failed.status == "failed" and failed.finished_at


def test_a_restart_of_the_app_keeps_the_jobs_of_worker_machines(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, local, bench = queued_job(database), queued_job(database), worker(database)
    assert leases.claim(database, remote, bench, 60, ["diagnostics"]) is not None
    assert jobs.claim(database, local) is not None
    with monkeypatch.context() as clock:  # the server was down for more than the lease
        a_minute_later(clock)
        assert leases.expired(database) != []
        assert leases.extend_all(database, 60) == 1  # a fresh lease
        assert jobs.recover(database) == [local]
        assert jobs.get(database, remote).status == "running" and leases.expired(database) == []


def test_release_gives_the_job_back_without_counting_the_attempt(database: Database) -> None:
    job_id, bench = queued_job(database), worker(database)
    assert leases.claim(database, job_id, bench, 60, ["diagnostics"]) is not None
    assert leases.release(database, job_id, bench, {"code": "interrupted", "message": "stop"})
    released = jobs.get(database, job_id)
    assert released.status == "queued" and released.attempts == 0


def test_tokens_are_kept_as_hashes_and_revocation_is_final(database: Database) -> None:
    made = registry.create(database, ADMIN, "  bench 1 ")
    assert made.worker.name == "bench 1" and made.token.startswith(registry.TOKEN_PREFIX)
    stored = database.db().execute("SELECT token_hash FROM workers").fetchone()[0]
    assert made.token not in stored and stored == registry.token_hash(made.token)
    assert registry.authenticate(database, made.token) == made.worker.id
    registry.revoke(database, ADMIN, made.worker.id)
    with pytest.raises(NotAuthenticated, match="revoked"):
        registry.authenticate(database, made.token)
    with pytest.raises(NotAuthenticated, match="not known"):
        registry.authenticate(database, "vidjil-worker-guess")
    with pytest.raises(UsageError):
        registry.create(database, ADMIN, "\x00")
    actions = {entry["action"] for entry in audit.entries(database, limit=10)}
    assert {"create_worker", "revoke_worker"} <= actions


def test_the_install_id_is_made_once(database: Database) -> None:
    first = registry.install_id(database)
    assert len(first) == 32 and registry.install_id(database) == first
