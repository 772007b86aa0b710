"""Benchmark worker machines: a batch of IGH analyses with one, then two worker processes.

Not a test. A real redis-server, the server (`serve`, its HTTPS listener, its own workers kept
to one core) and N `vidjil-local worker` processes with their own data folders on this machine,
each with `--cores`; the batch's samples are the lab test files. Wall time from launch to the
last completion and samples per minute are printed for each N; the machine may be shared (say
so with the numbers), and on one machine the workers compete with the server for its cores.

    python3 benchmarks/bench_workers.py --samples 8 --workers 1 2 --cores 1
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from tests.app_process import start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN
from tests.integration.network.test_worker_machines import Lab
from tests.redis_server import RedisServer


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cores", type=int, default=1, help="--cores of each worker")
    return parser.parse_args()


def run_batch(work: Path, args: argparse.Namespace, count: int) -> str:
    redis = RedisServer()
    redis.start()
    data_dir = work / f"server-{count}"
    settings = {"redis_url": redis.url, "network_access": "true", "network_port": "0",
                "network_address": "127.0.0.1", "workers_pool": "1"}  # fmt: skip
    options = [part for name, value in settings.items() for part in ("--set", f"{name}={value}")]
    server = start_app(data_dir, *options, "serve", "--port", "0")
    workers: list[subprocess.Popen[str]] = []
    try:
        lab = Lab(data_dir, wait_for_url(data_dir, server, timeout=60))
        lab.call("POST", "/api/auth/setup", json=ADMIN)
        https = json.loads((data_dir / "instance.json").read_text())["network_url"]
        fingerprint = lab.call("GET", "/api/admin/network")["certificate"]["fingerprint_sha256"]
        for number in range(count):
            token = lab.call("POST", "/api/admin/workers", json={"name": f"w{number}"})["token"]
            command = ["worker", "--server", https, "--token", token, "--fingerprint",
                       fingerprint, "--cores", str(args.cores)]  # fmt: skip
            workers.append(start_app(work / f"worker-{count}-{number}", *command))
        set_id = lab.call("POST", "/api/sample-sets", json={"kind": "run", "name": "batch"})["id"]
        configs = {config["name"]: config["id"] for config in lab.call("GET", "/api/configs")}
        started = time.monotonic()
        lab.launch(set_id, configs["IGH"], args.samples)
        while not lab.all_completed():
            time.sleep(0.2)
        wall = time.monotonic() - started
        where: dict[str, int] = {}
        for job in lab.jobs():
            name = "server" if job["worker_id"] is None else f"worker {job['worker_id']}"
            where[name] = where.get(name, 0) + 1
        rate = args.samples / wall * 60
        done = f"{args.samples} samples in {wall:6.1f} s = {rate:5.1f}/min"
        return f"{count} worker(s): {done}, ran on {where}"
    finally:
        for process in workers:
            stop(process)
        stop(server)
        redis.stop()


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory() as temporary:
        for count in args.workers:
            print(run_batch(Path(temporary), args, count), flush=True)


if __name__ == "__main__":
    main()
