"""What the HTTP benchmarks share: a real `vidjil-local serve` on a fresh data folder and the few
API calls they make through it (CSRF header, JSON posts, a sample uploaded, a job waited for).

Imported by the scripts of this folder (`python benchmarks/bench_http.py` puts it on the path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def start_server(data_dir: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """`serve` on `data_dir` and a free port (`options`: e.g. `--set workers_pool=1`); the
    process and its base URL once `/api/health` answers."""
    command = [sys.executable, "-m", "vidjil_local", "--data-dir", str(data_dir), *options]
    process = subprocess.Popen(
        [*command, "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "BROWSER": "false"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped at start")
        info = data_dir / "instance.json"
        if info.exists():
            url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    return process, url
            except httpx.TransportError:
                pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not answer in time")


def csrf(client: httpx.Client) -> dict[str, str]:
    return {"x-csrftoken": client.cookies.get("csrftoken") or ""}


def post(client: httpx.Client, url: str, body: Any) -> Any:
    response = client.post(url, json=body, headers=csrf(client))
    response.raise_for_status()
    return response.json()


def add_sample(client: httpx.Client, set_id: int, name: str, content: bytes) -> int:
    sample = post(client, f"/api/sample-sets/{set_id}/samples", {"original_name": name})
    uploaded = client.put(
        f"/api/samples/{sample['id']}/files/1", content=content, headers=csrf(client)
    )
    uploaded.raise_for_status()
    return int(sample["id"])


def job_status(client: httpx.Client, set_id: int, job_id: int) -> dict[str, Any]:
    jobs = client.get(f"/api/sample-sets/{set_id}/jobs").json()
    job: dict[str, Any] = next(job for job in jobs if job["id"] == job_id)
    return job


def wait_for_job(client: httpx.Client, set_id: int, job_id: int, states: tuple[str, ...]) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job = job_status(client, set_id, job_id)
        if job["status"] in states:
            return
        if job["status"] == "failed":
            raise SystemExit(f"job {job_id} failed: {job['error']}")
        time.sleep(0.2)
    raise SystemExit(f"job {job_id} never reached {states}")
