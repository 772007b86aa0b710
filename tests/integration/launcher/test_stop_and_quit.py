"""Every way to stop the app is one clean stop: SIGTERM (shutdown), SIGHUP (the desktop session
ends) and the administrator's Quit. Running jobs are queued again, the exit status is 0, the lock is
released, and the log file in the data folder tells what happened."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.app_process import csrf_client, start_app, stop, wait_for_url
from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.db import Database, jobs, migrate
from vidjil_local.services import audit
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.settings import Settings

pytestmark = pytest.mark.slow


def wait_until_running(database: Database, job_id: int) -> None:
    wait_until(
        lambda: jobs.get(database, job_id).progress >= 0.02,
        timeout=60,
        what="the job did not start",
    )


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_cleanly_and_queues_the_running_job_again(
    tmp_path: Path, how: signal.Signals
) -> None:
    data = tmp_path / "data"
    server = start_app(data, "serve", "--port", "0")
    database = Database(data / "vidjil.sqlite")
    try:
        wait_for_url(data, server)
        migrate(database.db())
        job = jobs.submit(
            database, lambda job_id: None, "diagnostics", DiagnosticsParams(seconds=120)
        )
        wait_until_running(database, job.id)
        started = time.monotonic()
        output = stop(server, how)
        assert server.returncode == 0, output
        assert time.monotonic() - started < 15
        stopped = jobs.get(database, job.id)
        assert stopped.status == "queued"
        assert stopped.error is not None and stopped.error["code"] == "interrupted"
    finally:
        stop(server)
        database.close()
    assert not (data / "instance.json").exists()
    log = (data / "logs" / "vidjil-local.log").read_text(encoding="utf-8")
    assert "vidjil-local serving on" in log and "Traceback" not in log


def test_the_administrator_quits_from_the_browser(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = start_app(data, "serve", "--port", "0")
    try:
        url = wait_for_url(data, server)
        anonymous = csrf_client(url)
        assert anonymous.post("/api/admin/quit").status_code == 401
        admin = csrf_client(url)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        answer = admin.post("/api/admin/quit")
        assert answer.status_code == 202, answer.text
        assert answer.json() == {"stopping": True, "requeued_jobs": 0}
        server.wait(timeout=30)
        assert server.returncode == 0
    finally:
        stop(server)
    database = Database(data / "vidjil.sqlite")
    [entry] = audit.entries(database, limit=1)
    database.close()
    assert entry["action"] == "quit_app" and entry["user_email"] == ADMIN["email"]


def test_quit_needs_a_server_that_can_stop(settings: Settings) -> None:
    with local_client(create_app(settings, start_jobs=False)) as client:
        client.get("/api/auth/status")
        headers = {"x-csrftoken": client.cookies.get("csrftoken") or ""}
        assert client.post("/api/auth/setup", json=ADMIN, headers=headers).status_code == 201
        answer = client.post("/api/admin/quit", headers=headers)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "conflict"
