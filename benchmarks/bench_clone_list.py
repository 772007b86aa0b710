"""Benchmark the clone-list API of a real `vidjil-local serve` under 50 concurrent clients.

Starts the server on a fresh data dir, creates the admin, a patient and a config keeping every
clone (min_reads 1), uploads and analyses the simulated diagnosis of `tests/data/lab/`, then
measures `GET /api/results/{id}/clones` latency (p50, p99, max) from 50 concurrent httpx async
clients: first with the server idle, then while a larger analysis job runs (the diagnosis reads
repeated `--repeat` times). Requests mix sorts, filters, searches and pages.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_clone_list.py

Not part of the test suite: it takes about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from lab_api import add_sample, csrf, post, start_server, wait_for_job

DATA = Path(__file__).parents[1] / "tests" / "data" / "lab"
ADMIN = {"email": "bench@lab.example", "password": "benchmark clone list 1"}
QUERIES: list[dict[str, Any]] = [
    {},
    {"sort": "-reads", "limit": 100},
    {"sort": "name", "offset": 200},
    {"locus": "IGH", "productive": "true"},
    {"search": "CAR"},
    {"search": "GGG", "sort": "top", "limit": 200},
]


def prepare(client: httpx.Client, repeat: int) -> tuple[int, int, int, int]:
    """(set id, config id, result id of the diagnosis, id of the larger sample)."""
    client.get("/api/auth/status")
    post(client, "/api/auth/setup", ADMIN)
    patient = post(client, "/api/sample-sets", {"kind": "patient", "id_label": "BENCH"})
    options = {"min_reads": 1, "top": 100}
    config = post(client, "/api/configs", {"name": "all clones", "options": options})
    diagnosis = (DATA / "diagnosis.fastq.gz").read_bytes()
    sample_id = add_sample(client, patient["id"], "diagnosis.fastq.gz", diagnosis)
    launch = {"config_id": config["id"], "sample_ids": [sample_id]}
    (job,) = post(client, f"/api/sample-sets/{patient['id']}/analyses", launch)
    wait_for_job(client, patient["id"], job["id"], ("completed",))
    results = client.get(f"/api/sample-sets/{patient['id']}/result-files").json()
    larger = gzip.compress(gzip.decompress(diagnosis) * repeat, compresslevel=1)
    larger_id = add_sample(client, patient["id"], "larger.fastq.gz", larger)
    return patient["id"], config["id"], int(results[0]["id"]), larger_id


async def client_loop(
    client: httpx.AsyncClient,
    url: str,
    queries: list[dict[str, Any]],
    until: float,
    seed: int,
    latencies: list[float],
) -> int:
    generator = random.Random(seed)
    errors = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.get(url, params=generator.choice(queries))
            errors += response.status_code != 200
        except httpx.TransportError:  # a dropped connection counts as an error, not a crash
            errors += 1
        latencies.append(time.perf_counter() - started)
    return errors


async def measure(
    base_url: str,
    cookies: httpx.Cookies,
    url: str,
    queries: list[dict[str, Any]],
    clients: int,
    seconds: float,
) -> dict[str, float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url, cookies=cookies, limits=limits, timeout=60
    ) as client:
        until = time.monotonic() + seconds
        loops = [
            client_loop(client, url, queries, until, seed, latencies) for seed in range(clients)
        ]
        errors = sum(await asyncio.gather(*loops))
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "per_second": len(ordered) / seconds,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))],
        "max_ms": 1000 * ordered[-1],
    }


def show(label: str, numbers: dict[str, float]) -> None:
    print(
        f"{label}: {numbers['requests']:.0f} requests ({numbers['per_second']:.0f}/s, "
        f"{numbers['errors']:.0f} errors), p50 {numbers['p50_ms']:.1f} ms, "
        f"p99 {numbers['p99_ms']:.1f} ms, max {numbers['max_ms']:.1f} ms",
        flush=True,
    )


def run(folder: Path, clients: int, seconds: float, repeat: int) -> None:
    process, url = start_server(folder / "data", "--set", "workers_pool=1")
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            set_id, config_id, result_id, larger_id = prepare(client, repeat)
            clones = client.get(f"/api/results/{result_id}/clones", params={"limit": 1}).json()
            print(f"result {result_id}: {clones['total']} clones; {clients} clients", flush=True)
            cookies, clones_url = client.cookies, f"/api/results/{result_id}/clones"
            me = asyncio.run(measure(url, cookies, "/api/auth/me", [{}], clients, seconds))
            show("baseline GET /api/auth/me, idle server", me)
            idle = asyncio.run(measure(url, cookies, clones_url, QUERIES, clients, seconds))
            show("clone list, idle server", idle)
            launch = {"config_id": config_id, "sample_ids": [larger_id]}
            (job,) = post(client, f"/api/sample-sets/{set_id}/analyses", launch)
            wait_for_job(client, set_id, job["id"], ("running",))
            loaded = asyncio.run(measure(url, cookies, clones_url, QUERIES, clients, seconds))
            jobs = client.get(f"/api/sample-sets/{set_id}/jobs").json()
            status = next(j for j in jobs if j["id"] == job["id"])
            show(f"clone list, analysis job running ({repeat}x reads)", loaded)
            print(f"  job {job['id']} at the end: {status['status']}, {status['progress']:.0%}")
            client.post(f"/api/jobs/{job['id']}/cancel", headers=csrf(client))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=40, help="size of the running job")
    args = parser.parse_args()
    os.environ.setdefault("BROWSER", "false")
    with tempfile.TemporaryDirectory(prefix="bench-clones-") as folder:
        run(Path(folder), args.clients, args.seconds, args.repeat)


if __name__ == "__main__":
    main()
