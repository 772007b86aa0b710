"""Benchmark one analysis job alone on the app: its share of every core against one process.

Not a test. The job goes through the app's job runtime (a real database, the job's own spawned
process, the core budget of `jobs/cores.py`) on a simulated sample, twice per round: as today
before the budget (the job keeps one core) and with the budget (a lone analysis gets every core
the app may use, `--cores`, the `workers_pool` setting). Wall time and CPU seconds (the job's
process and its pool) are printed per run; the machine may be shared, so say so with the numbers.

    python3 benchmarks/bench_cores.py --reads 300000 --cores 2 --rounds 3 \
        --simulator-python /tmp/olga-venv/bin/python --tools /work/shared/tools
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vidjil_local.db import Database, jobs, migrate
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs.kinds import JobKind
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.analyses.work import run_analysis
from vidjil_local.settings import resolve_settings

SHARED_TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
KINDS: dict[str, JobKind[Any]] = {
    "one_core": JobKind(AnalysisParams, run_analysis),  # as before: one process per analysis
    "shared_cores": JobKind(AnalysisParams, run_analysis, parallel=True),
}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cores", type=int, default=2, help="the app's cores (workers_pool)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--simulator-python", default=sys.executable)
    parser.add_argument("--tools", type=Path, default=SHARED_TOOLS, help="the shared tools/")
    parser.add_argument("--work", type=Path, help="keep data here (default: temporary)")
    return parser.parse_args()


def simulate(args: argparse.Namespace, work: Path) -> Path:
    reads = work / f"igh-{args.reads}-s{args.seed}.fastq.gz"
    if not reads.exists():
        command = [
            args.simulator_python, str(args.tools / "simulate_repertoire.py"), "--quiet",
            "--locus", "IGH", "--reads", str(args.reads), "--seed", str(args.seed),
            "-o", str(reads),
        ]  # fmt: skip
        subprocess.run(command, check=True)
    return reads


def params_for(reads: Path, output: Path) -> AnalysisParams:
    return AnalysisParams(
        sample_id=1, config_id=1, config_name="IGH", program="vidjil-local",
        germline="human:IGH", germline_name="human:IGH", options={}, reads_path=reads,
        original_name=reads.name, folder="1/1", output_dir=output, results_dir=output.parent,
    )  # fmt: skip


def run_once(runtime: JobRuntime, database: Database, kind: str, params: AnalysisParams) -> str:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    job = runtime.submit(kind, params)
    while (current := jobs.get(database, job.id)).status in ("queued", "running"):
        time.sleep(0.05)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert current.status == "completed", current.error
    reads = (current.result or {}).get("reads", 0)
    return f"{kind:13} wall {wall:6.1f} s  CPU {cpu:6.1f} s  {reads / wall:9,.0f} reads/s"


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        reads = simulate(args, work)
        settings = resolve_settings(
            work / "data", environ={}, overrides={"workers_pool": args.cores}
        )
        database = Database(settings.database_path)
        migrate(database.db())
        runtime = JobRuntime(settings, database, KINDS)
        runtime.start()
        try:
            print(f"{args.reads} IGH reads, {args.cores} cores for the app's jobs")
            for number in range(args.rounds):
                for kind in KINDS:
                    output = work / "results" / f"{kind}-{number}"
                    print(run_once(runtime, database, kind, params_for(reads, output)), flush=True)
        finally:
            runtime.stop()
            database.close()


if __name__ == "__main__":
    main()
