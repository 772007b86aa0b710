"""Benchmark `vidjil-local analyze` end to end: reads/s, peak RSS, accuracy against the truth.

Not a test. Simulated samples come from the shared reads simulator (it needs `olga`, install it
in a venv of your own, not the project's), accuracy from the shared `compare_clones.py`:

    python3 benchmarks/bench_analyze.py --simulator-python /tmp/olga-venv/bin/python \
        --locus IGH --reads 1000000 --seed 2 --shm-rate 0.03 -g human:IGH --processes 2

The analysis runs `vidjil_local.cli.analyze` in `--python` (default this interpreter; point it
at a venv where the compiled wheel is installed to measure the compiled core).

With `--mate-length L`, the same simulation (same seed: the same fragments) is written as pairs
of L-nt mates and analysed with `--paired`: compare with a run without it for the cost of
merging against single reads of the same length.
Peak RSS is sampled from /proc every 0.1 s: the main process alone and summed with its workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SHARED_TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locus", default="IGH", help="simulator loci, e.g. IGH or IGH,IGK,...")
    parser.add_argument("--reads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shm-rate", default="0.03")
    parser.add_argument("-g", "--germline", default="human:IGH")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--unexpected", action="store_true", help="analyze with -2 (unexpected recombinations)"
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter running analyze")
    parser.add_argument("--simulator-python", default=sys.executable)
    parser.add_argument("--tools", type=Path, default=SHARED_TOOLS)
    parser.add_argument("--work", type=Path, help="keep data and results here (default: temp)")
    parser.add_argument("--label", default="")
    parser.add_argument("--mate-length", type=int, help="simulate and analyse pairs of this")
    return parser.parse_args()


def simulate(args: argparse.Namespace, work: Path) -> tuple[list[Path], Path]:
    name = f"{args.locus.replace(',', '-').lower()}-{args.reads}-s{args.seed}"
    if args.mate_length:
        name += f"-paired{args.mate_length}"
    reads = [work / f"{name}.fastq.gz"]
    clones = work / f"{name}.clones.tsv"
    paired = ["--paired", str(work / f"{name}_R2.fastq.gz")] if args.mate_length else []
    if args.mate_length:
        reads.append(work / f"{name}_R2.fastq.gz")
        paired += ["--mate-length", str(args.mate_length)]
    if not reads[0].exists():
        command = [
            args.simulator_python, str(args.tools / "simulate_repertoire.py"), "--quiet",
            "--locus", args.locus, "--reads", str(args.reads), "--seed", str(args.seed),
            "--shm-rate", args.shm_rate, "-o", str(reads[0]), "--clones", str(clones), *paired,
        ]  # fmt: skip
        subprocess.run(command, check=True)
    return reads, clones


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(RSS of `pid`, RSS of `pid` plus its descendants), in kB."""
    own = _rss_kb(pid)
    total = own
    for child in _descendants(pid):
        total += _rss_kb(child)
    return own, total


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found.append(int(child))
        found += _descendants(int(child))
    return found


# The `analyze` sub-command alone, as `vidjil-local analyze` runs it.
RUNNER = """
import argparse, sys
from vidjil_local.cli import analyze
parser = argparse.ArgumentParser(prog="vidjil-local")
analyze.add_parser(parser.add_subparsers(dest="command"))
arguments = parser.parse_args(sys.argv[1:])
sys.exit(arguments.handler(arguments))
"""


def run_analyze(args: argparse.Namespace, reads: list[Path], out: Path) -> dict[str, float]:
    command = [
        args.python, "-c", RUNNER, "analyze", *map(str, reads), "-g", args.germline,
        "-o", str(out), "--processes", str(args.processes), "--quiet",
        *(["--paired"] if len(reads) == 2 else []),
        *(["-2"] if args.unexpected else []),
    ]  # fmt: skip
    started = time.monotonic()
    cpu_before = _children_cpu()
    process = subprocess.Popen(command)
    peaks = {"main": 0, "total": 0}

    def sample() -> None:
        while process.poll() is None:
            own, total = tree_rss_kb(process.pid)
            peaks["main"] = max(peaks["main"], own)
            peaks["total"] = max(peaks["total"], total)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if process.wait() != 0:
        raise SystemExit(f"analyze failed: {' '.join(command)}")
    elapsed = time.monotonic() - started
    sampler.join()
    return {
        "seconds": elapsed,
        "cpu_seconds": _children_cpu() - cpu_before,  # all processes: the machine may be shared
        "rss_main_mb": peaks["main"] / 1024,
        "rss_mb": peaks["total"] / 1024,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        reads, clones = simulate(args, work)
        out = work / "out"
        measured = run_analyze(args, reads, out)
        base = reads[0].name.removesuffix(".fastq.gz")
        accuracy = compare(args, clones, out / f"{base}.vidjil", work / f"{base}.compare.json")
        # the AIRR file lists the equal genes ("A,B"): the issue-12 reading of top-100 accuracy
        accuracy_airr = compare(args, clones, out / f"{base}.tsv", work / f"{base}.airr.json")
    measured["reads_per_second"] = args.reads / measured["seconds"]
    measured["reads_per_cpu_second"] = args.reads / measured["cpu_seconds"]
    measured["load_average"] = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "label": args.label,
                **vars_of(args),
                **measured,
                "accuracy": accuracy,
                "accuracy_airr": accuracy_airr,
            }
        )
    )


def compare(args: argparse.Namespace, clones: Path, result: Path, report: Path) -> object:
    """`compare_clones.py` of a result against the simulated truth, as parsed JSON."""
    subprocess.run(
        [sys.executable, str(args.tools / "compare_clones.py"), str(clones), str(result),
         "--json", str(report), "--quiet"],
        check=True,
    )  # fmt: skip
    return json.loads(report.read_text())


def vars_of(args: argparse.Namespace) -> dict[str, object]:
    keys = ["locus", "reads", "seed", "shm_rate", "germline", "processes"]
    keys += ["mate_length", "unexpected"]
    return {key: getattr(args, key) for key in keys}


if __name__ == "__main__":
    main()
