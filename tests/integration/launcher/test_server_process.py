"""The real `vidjil-local` process: serve, single instance, desktop launch, kill -9 and restart."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.app_process import PYTHON_APP, start_app, stop, wait_for_url
from tests.waiting import wait_until
from vidjil_local.db import Database, jobs, migrate
from vidjil_local.services.admin.diagnostics import DiagnosticsParams

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def test_serve_answers_and_a_second_instance_is_refused(data_dir: Path) -> None:
    server = start_app(data_dir, "serve", "--port", "0")
    try:
        url = wait_for_url(data_dir, server)
        answer = httpx.get(url + "/api/health")
        assert answer.json()["status"] == "ok"
        assert "server" not in answer.headers, "the answer tells strangers what server runs"
        assert answer.headers["x-frame-options"] == "DENY" and "date" in answer.headers
        second = subprocess.run(
            [sys.executable, "-m", "vidjil_local", "--data-dir", str(data_dir), "serve"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "already running" in second.stderr and url in second.stderr
        launch = subprocess.run(
            [
                sys.executable,
                "-m",
                "vidjil_local",
                "--data-dir",
                str(data_dir),
                "--set",
                "open_browser=false",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert launch.returncode == 0
        login = launch.stdout.strip().rsplit(" ", 1)[-1]
        assert login.startswith(url + "/auth/launch?token=")
        page = httpx.get(login)
        assert page.status_code == 200 and "<form" in page.text
        token = login.rsplit("=", 1)[-1]
        answer = httpx.post(url + "/auth/launch", data={"token": token}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/#/home"
    finally:
        output = stop(server)
    assert "Traceback" not in output


def test_a_port_another_program_uses_is_a_clear_error(data_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        refused = subprocess.run(
            [*PYTHON_APP, "--data-dir", str(data_dir), "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (
        f"vidjil-local: cannot listen on 127.0.0.1:{port}: Address already in use: another "
        "program uses this port. Stop it, or choose another port (0 picks a free port at each "
        "start)"
    )


def test_desktop_launch_prints_the_login_url_without_a_browser(data_dir: Path) -> None:
    app = start_app(data_dir, "--set", "open_browser=false")
    try:
        url = wait_for_url(data_dir, app)
    finally:
        output = stop(app)
    assert f"{url}/auth/launch?token=" in output


def _children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc to find child processes")
def test_kill_9_during_a_job_then_restart_finishes_the_job(data_dir: Path) -> None:
    server = start_app(data_dir, "serve", "--port", "0")
    database: Database | None = None
    try:
        wait_for_url(data_dir, server)
        database = Database(data_dir / "vidjil.sqlite")
        migrate(database.db())
        job = jobs.submit(
            database, lambda job_id: None, "diagnostics", DiagnosticsParams(seconds=6)
        )
        wait_until(
            lambda: jobs.get(database, job.id).progress >= 0.2, timeout=30, what="no job start"
        )
        children = _children_of(server.pid)
        assert children, "the job should run in a child process"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        assert jobs.get(database, job.id).status == "running"  # what the kill left behind
        wait_until(
            lambda: not any(Path(f"/proc/{child}").exists() for child in children),
            timeout=10,
            what="orphaned job process still alive",
        )

        server = start_app(data_dir, "serve", "--port", "0")
        wait_for_url(data_dir, server)

        def finished() -> jobs.Job | None:
            row = jobs.get(database, job.id)
            return row if row.status in {"completed", "failed"} else None

        current = wait_until(finished, timeout=60, what="the job did not finish")
        assert current.status == "completed", current.error
        assert current.attempts == 2 and current.result is not None
    finally:
        stop(server)
        if database is not None:
            database.close()
    check = sqlite3.connect(data_dir / "vidjil.sqlite")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
