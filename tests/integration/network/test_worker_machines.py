"""Worker machines for real: a real redis-server, the server process with its HTTPS listener,
and two `vidjil-local worker` processes with their own data folders, pinning the server's
certificate by its fingerprint. Jobs are shared; a worker killed mid-job loses nothing (its
lease expires, the job finishes elsewhere, stored once); Redis stopped then started again loses
nothing; a revoked token stops its worker; another version is refused."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.app_process import start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN
from tests.paused_jobs import paused_job_process
from tests.redis_server import RedisServer
from tests.waiting import wait_until
from vidjil_local import __version__

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.timeout(600)]
DATA = Path(__file__).parents[2] / "data" / "lab"
LEASE_SECONDS = 4


class Lab:
    """The server as its admin sees it (loopback, plain HTTP), and its database file."""

    def __init__(self, data_dir: Path, url: str) -> None:
        self.data_dir = data_dir
        self.http = httpx.Client(base_url=url, timeout=60)
        self.http.get("/api/auth/status")
        self.http.headers["x-csrftoken"] = self.http.cookies.get("csrftoken") or ""

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.is_success, response.text
        return response.json() if response.content else None

    def jobs(self) -> list[dict[str, Any]]:
        with sqlite3.connect(self.data_dir / "vidjil.sqlite") as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT id, status, attempts, worker_id FROM jobs WHERE kind = "
                              "'analysis' ORDER BY id").fetchall()  # fmt: skip
        return [dict(row) for row in rows]

    def launch(self, set_id: int, config_id: int, count: int) -> list[int]:
        for number in range(count):
            name = ("diagnosis", "follow-up")[number % 2]
            body = {"original_name": f"{name}-{number}.fastq.gz"}
            sample = self.call("POST", f"/api/sample-sets/{set_id}/samples", json=body)
            content = (DATA / f"{name}.fastq.gz").read_bytes()
            self.call("PUT", f"/api/samples/{sample['id']}/files/1", content=content)
        launched = self.call("POST", f"/api/sample-sets/{set_id}/analyses",
                             json={"config_id": config_id})  # fmt: skip
        return [job["id"] for job in launched]

    def all_completed(self) -> list[dict[str, Any]] | None:
        jobs = self.jobs()
        return jobs if all(job["status"] == "completed" for job in jobs) else None


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab(tmp_path: Path, redis: RedisServer) -> Iterator[Lab]:
    data_dir = tmp_path / "server"
    settings = {
        "redis_url": redis.url, "network_access": "true", "network_address": "127.0.0.1",
        "network_port": "0", "worker_lease_seconds": str(LEASE_SECONDS), "workers_pool": "1",
    }  # fmt: skip
    options = [part for name, value in settings.items() for part in ("--set", f"{name}={value}")]
    server = start_app(data_dir, *options, "serve", "--port", "0")
    try:
        lab = Lab(data_dir, wait_for_url(data_dir, server, timeout=90))
        lab.call("POST", "/api/auth/setup", json=ADMIN)
        yield lab
    finally:
        output = stop(server)
        assert "Traceback" not in output, output


def start_worker(lab: Lab, folder: Path, token: str, address: str) -> subprocess.Popen[str]:
    network = lab.call("GET", "/api/admin/network")
    command = [
        "worker", "--server", network_url(lab), "--token", token,
        "--fingerprint", network["certificate"]["fingerprint_sha256"], "--cores", "1",
        "--source-address", address,
    ]  # fmt: skip
    return start_app(folder, *command)


def network_url(lab: Lab) -> str:
    info = json.loads((lab.data_dir / "instance.json").read_text(encoding="utf-8"))
    return str(info["network_url"])


def test_worker_machines_share_jobs_and_survive_a_kill_and_a_redis_restart(
    lab: Lab, redis: RedisServer, tmp_path: Path
) -> None:
    made = {name: lab.call("POST", "/api/admin/workers", json={"name": name})
            for name in ("bench-1", "bench-2")}  # fmt: skip
    ids = {name: worker["worker"]["id"] for name, worker in made.items()}
    addresses = {"bench-1": "127.0.0.2", "bench-2": "127.0.0.3"}  # two machines of the lab
    workers = {
        name: start_worker(lab, tmp_path / name, made[name]["token"], addresses[name])
        for name in made
    }
    try:
        set_id = lab.call("POST", "/api/sample-sets", json={"kind": "run", "name": "run 1"})["id"]
        configs = {config["name"]: config["id"] for config in lab.call("GET", "/api/configs")}
        job_ids = lab.launch(set_id, configs["IGH"], 6)

        # bench-1 killed mid-job: its lease expires and the job is finished elsewhere
        def running_on_bench_1() -> int | None:
            return next((job["id"] for job in lab.jobs()
                         if job["status"] == "running" and job["worker_id"] == ids["bench-1"]),
                        None)  # fmt: skip

        with paused_job_process(workers["bench-1"].pid, timeout=120):  # its job cannot end
            killed_job = wait_until(running_on_bench_1, timeout=60, what="bench-1 took no job")
            workers["bench-1"].send_signal(signal.SIGKILL)
            workers["bench-1"].wait(timeout=10)
        done = wait_until(lab.all_completed, timeout=240, what="the jobs did not all complete")
        assert [job["id"] for job in done] == job_ids
        killed = next(job for job in done if job["id"] == killed_job)
        assert killed["attempts"] == 2 and killed["worker_id"] != ids["bench-1"]
        assert any(job["worker_id"] == ids["bench-2"] for job in done), done
        results = lab.call("GET", f"/api/sample-sets/{set_id}/result-files")
        assert (
            sorted(result["sample_id"] for result in results)
            == sorted({result["sample_id"] for result in results})
            and len(results) == 6
        )  # one result per sample: stored once

        page = lab.call("GET", "/api/admin/workers")
        listed = {worker["name"]: worker for worker in page["workers"]}
        assert listed["bench-2"]["jobs_done"] >= 1 and listed["bench-2"]["version"] == __version__
        assert listed["bench-2"]["last_seen_at"] and listed["bench-2"]["host"]
        assert [listed[name]["address"] for name in made] == ["127.0.0.2", "127.0.0.3"]

        # Redis stopped: new jobs wait, said so; started again (empty): they run
        redis.stop()
        waiting = wait_until(lambda: not lab.call("GET", "/api/admin/workers")["queue"][
            "answering"], timeout=30, what="the queue was not seen down")  # fmt: skip
        assert waiting
        more = lab.launch(set_id, configs["IGH"], 2)
        assert {job["status"] for job in lab.jobs() if job["id"] in more} == {"queued"}
        redis.start()
        wait_until(lab.all_completed, timeout=240, what="jobs queued while Redis was down")

        # a revoked token: the worker's next request is refused, and it stops
        lab.call("POST", f"/api/admin/workers/{ids['bench-2']}/revoke")
        lab.launch(set_id, configs["IGH"], 1)
        ended = workers["bench-2"].wait(timeout=120)
        output = workers["bench-2"].stdout.read() if workers["bench-2"].stdout else ""
        assert ended != 0 and "revoked" in output, output
        wait_until(lab.all_completed, timeout=240, what="the app's own worker did not take over")
    finally:
        for process in workers.values():
            stop(process)


def test_a_revoked_token_and_another_version_are_refused(lab: Lab) -> None:
    made = lab.call("POST", "/api/admin/workers", json={"name": "old"})
    https = network_url(lab)
    headers = {"authorization": f"Bearer {made['token']}", "x-vidjil-version": "0.0.1"}
    with httpx.Client(base_url=https, verify=False, timeout=30) as client:
        other = client.get("/api/worker/hello", headers=headers)
        assert other.status_code == 409 and other.json()["error"]["code"] == "worker_version"
        headers["x-vidjil-version"] = __version__
        assert client.get("/api/worker/hello", headers=headers).status_code == 200
        lab.call("POST", f"/api/admin/workers/{made['worker']['id']}/revoke")
        revoked = client.get("/api/worker/hello", headers=headers)
        assert revoked.status_code == 401 and "revoked" in revoked.json()["error"]["message"]
        unknown = {**headers, "authorization": "Bearer vidjil-worker-guess"}
        assert client.get("/api/worker/hello", headers=unknown).status_code == 401
    listed = lab.call("GET", "/api/admin/workers")["workers"]
    assert listed[0]["revoked_at"] and "token" not in listed[0]
