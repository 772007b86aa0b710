"""Throughput and latency of a real `vidjil-local serve` under 50 connections, measured by `wrk`.

Starts the server on a fresh data folder, creates the admin, a patient with two analysed samples
(the diagnosis and follow-up of `tests/data/lab/`, a config keeping every clone) and their fused
result, logs in, and drives `wrk` with the session and CSRF cookies against the calls of the
results page: the fused clone list, a sample's clone list, what the viewer fetches when it opens a
set's result (the fused `.vidjil`, the saved analysis, the set, the config, the login status) and
`/api/health`; first with the server idle, then while an analysis job runs (a larger sample made
of the diagnosis reads repeated, started again whenever it ends). Each line gives req/s, p50 and
p99 latency, the server process's CPU seconds per 1,000 requests (the figure to compare on a
loaded machine) and the 1-minute load average before the run.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_http.py            # or the installed package
    .venv/bin/python benchmarks/bench_http.py --seconds 10 --only fused-clones,health

Needs `wrk` (Debian: `apt-get install -y wrk`). Not part of the test suite: about 4 minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from lab_api import add_sample, csrf, job_status, post, start_server, wait_for_job

DATA = Path(__file__).parents[1] / "tests" / "data" / "lab"
ADMIN = {"email": "bench@lab.example", "password": "benchmark http throughput 1"}
CLONE_QUERIES = (
    "",
    "&sort=-reads&limit=100",
    "&sort=name&offset=20",
    "&locus=IGH&productive=true",
    "&search=CAR",
    "&sort=top&limit=200",
)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    name: str
    paths: tuple[str, ...]  # wrk cycles through them, one per request


@dataclass(frozen=True)
class Figures:
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers and socket errors
    cpu_per_1000: float  # server process CPU seconds per 1,000 requests
    load: float  # 1-minute load average before the run


def wait_for_fused(client: httpx.Client, set_id: int, config_id: int, samples: int) -> None:
    deadline = time.monotonic() + 300
    url = f"/api/sample-sets/{set_id}/clones"
    while time.monotonic() < deadline:
        answer = client.get(url, params={"config_id": config_id, "limit": 1})
        if answer.status_code == 200 and len(answer.json()["samples"]) == samples:
            return
        time.sleep(0.2)
    raise SystemExit("the fused result never held both samples")


@dataclass(frozen=True)
class Bench:
    set_id: int
    config_id: int
    result_id: int
    larger_id: int


def prepare(client: httpx.Client, repeat: int) -> Bench:
    client.get("/api/auth/status")
    post(client, "/api/auth/setup", ADMIN)
    patient = post(client, "/api/sample-sets", {"kind": "patient", "id_label": "BENCH"})
    set_id = int(patient["id"])
    options = {"min_reads": 1, "top": 100}
    config = post(client, "/api/configs", {"name": "all clones", "options": options})
    sample_ids = [
        add_sample(client, set_id, name, (DATA / name).read_bytes())
        for name in ("diagnosis.fastq.gz", "follow-up.fastq.gz")
    ]
    launch = {"config_id": config["id"], "sample_ids": sample_ids}
    for job in post(client, f"/api/sample-sets/{set_id}/analyses", launch):
        wait_for_job(client, set_id, job["id"], ("completed",))
    wait_for_fused(client, set_id, config["id"], samples=2)
    results = client.get(f"/api/sample-sets/{set_id}/result-files").json()
    diagnosis = gzip.decompress((DATA / "diagnosis.fastq.gz").read_bytes())
    larger = gzip.compress(diagnosis * repeat, compresslevel=1)
    larger_id = add_sample(client, set_id, "larger.fastq.gz", larger)
    return Bench(set_id, int(config["id"]), int(results[0]["id"]), larger_id)


def targets(bench: Bench) -> list[Target]:
    set_path, config = f"/api/sample-sets/{bench.set_id}", f"config_id={bench.config_id}"
    return [
        Target(
            "fused-clones",
            tuple(f"{set_path}/clones?{config}{query}" for query in CLONE_QUERIES),
        ),
        Target(
            "sample-clones",
            tuple(
                f"/api/results/{bench.result_id}/clones?{query.lstrip('&')}"
                for query in CLONE_QUERIES
            ),
        ),
        Target("fused-vidjil", (f"{set_path}/results?{config}",)),
        Target("analysis", (f"{set_path}/analysis",)),
        Target("sample-set", (set_path,)),
        Target("config", (f"/api/configs/{bench.config_id}",)),
        Target("auth-status", ("/api/auth/status",)),
        Target("health", ("/api/health",)),
    ]


def cycling_script(folder: Path, paths: tuple[str, ...]) -> Path:
    """A wrk Lua script sending the paths in turn (each wrk thread starts at its own place)."""
    listed = ", ".join(json.dumps(path) for path in paths)
    script = folder / f"paths-{abs(hash(paths))}.lua"
    script.write_text(
        f"local paths = {{{listed}}}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\n"
        "end\n"
    )
    return script


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime of the process itself


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> tuple[int, float, float, float, int]:
    """(requests, req/s, p50 ms, p99 ms, errors) from `wrk --latency` output."""
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(count) for count in sockets.groups())
    return requests, rate, p50, p99, errors


def run_wrk(
    url: str,
    cookie: str,
    token: str,
    target: Target,
    args: argparse.Namespace,
    pid: int,
    folder: Path,
) -> Figures:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s"]
    command += ["--latency", "-H", f"Cookie: {cookie}", "-H", f"x-csrftoken: {token}"]
    if len(target.paths) > 1:
        command += ["-s", str(cycling_script(folder, target.paths))]
    load = load_average()
    before = cpu_seconds(pid)
    output = subprocess.run(
        [*command, url + target.paths[0]], capture_output=True, text=True, check=True
    ).stdout
    cpu = cpu_seconds(pid) - before
    requests, rate, p50, p99, errors = parse_wrk(output)
    for line in output.splitlines():  # which errors
        if "Socket errors" in line or "Non-2xx" in line:
            print(f"  {target.name}: {line.strip()}", flush=True)
    per_1000 = 1000 * cpu / requests if requests else float("nan")
    return Figures(requests, rate, p50, p99, errors, per_1000, load)


def show(phase: str, name: str, figures: Figures, note: str = "") -> None:
    print(
        f"{phase:<8} {name:<14} {figures.per_second:>8.0f} req/s  p50 {figures.p50_ms:>6.1f} ms"
        f"  p99 {figures.p99_ms:>6.1f} ms  {figures.cpu_per_1000:>5.2f} CPU s/1000 req"
        f"  load {figures.load:>5.2f}  errors {figures.errors}{note}",
        flush=True,
    )


class RunningAnalysis:
    """Keeps one analysis of the larger sample running: launched again whenever it has ended."""

    def __init__(self, client: httpx.Client, bench: Bench) -> None:
        self.client, self.bench = client, bench
        self.job_id: int | None = None
        self.launches = 0

    def ensure(self) -> str:
        if self.job_id is not None:
            status = job_status(self.client, self.bench.set_id, self.job_id)
            if status["status"] in ("queued", "running"):
                return f"job {self.job_id} {status['status']} {status['progress']:.0%}"
        launch = {"config_id": self.bench.config_id, "sample_ids": [self.bench.larger_id]}
        (job,) = post(self.client, f"/api/sample-sets/{self.bench.set_id}/analyses", launch)
        self.job_id, self.launches = int(job["id"]), self.launches + 1
        wait_for_job(self.client, self.bench.set_id, self.job_id, ("running",))
        return f"job {self.job_id} started"

    def stop(self) -> None:
        if self.job_id is not None:
            self.client.post(f"/api/jobs/{self.job_id}/cancel", headers=csrf(self.client))


def measure_all(
    client: httpx.Client,
    url: str,
    bench: Bench,
    args: argparse.Namespace,
    pid: int,
    folder: Path,
) -> None:
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    token = client.cookies.get("csrftoken") or ""
    chosen = [t for t in targets(bench) if not args.only or t.name in args.only.split(",")]
    for target in chosen:  # every answer must be a 200 before it is measured
        for path in target.paths:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, server pid {pid}")
    if "idle" in args.phases:
        for target in chosen:
            show("idle", target.name, run_wrk(url, cookie, token, target, args, pid, folder))
    if "analysis" in args.phases:
        analysis = RunningAnalysis(client, bench)
        try:
            for target in chosen:
                note = analysis.ensure()
                figures = run_wrk(url, cookie, token, target, args, pid, folder)
                show("analysis", target.name, figures, f"  ({note})")
        finally:
            analysis.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint and phase")
    parser.add_argument("--repeat", type=int, default=60, help="size of the running analysis")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--phases", default="idle,analysis")
    parser.add_argument("--keep", action="store_true", help="keep the server for profiling")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it (Debian: apt-get install -y wrk)")
    os.environ.setdefault("BROWSER", "false")
    with tempfile.TemporaryDirectory(prefix="bench-http-") as name:
        folder = Path(name)
        process, url = start_server(folder / "data")
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                bench = prepare(client, args.repeat)
                print(
                    f"server {url}: set {bench.set_id}, config {bench.config_id}, "
                    f"result {bench.result_id}",
                    flush=True,
                )
                measure_all(client, url, bench, args, process.pid, folder)
                if args.keep:
                    input("server kept for profiling; press Enter to stop it ")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
