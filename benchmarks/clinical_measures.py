"""Accuracy of the clinical measures on simulated samples: V identity, MRD counts, spike-ins.

Not a test. Samples come from the shared simulator (`simulate_repertoire.py`, needs `olga`: run
it with `--simulator-python` from a venv of your own); the analyses run in this interpreter.

- V identity: IGH samples with hypermutation; for the top clones, the identity measured on the
  clone sequence the analysis built against (a) the simulated identity over the same V region
  (the clone's simulated sequence against its simulated allele), (b) 100 - the clone's drawn
  mutation rate (`shm_rate`), (c) 100 - its realised rate over the whole sequence (`n_shm`).
- MRD: a diagnosis, and 200,000-read follow-ups holding its leukemic clone in a few reads,
  each analysed alone with the IGH config (60-nt windows, top 100, min_reads 5); the clone's
  reads in the follow-up's clone list, and counted in its window counts (`core.markers`).
- Spike-ins: follow-ups where six dominant clones are spike-ins at 10, 40 and 160 copies and one
  is a leukemic clone at 25 copies, each amplified to a Poisson number of reads; the copies the
  normalisation gives the leukemic clone, against 25.

    python3 benchmarks/clinical_measures.py --simulator-python /tmp/olga-venv/bin/python \
        [--parts v_identity mrd spike_ins]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from vidjil_local.core.identity import IdentityMeter
from vidjil_local.core.markers import marker_reads
from vidjil_local.core.result import AnalysisResult
from vidjil_local.core.spikes import Spike
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, analyze
from vidjil_local.results import read_window_counts, write_window_counts

SHARED_TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
IGH_OPTIONS = {"window_length": 60, "top": 100, "min_reads": 5, "processes": 1}


Rows = list[dict[str, str]]


def simulate(args: argparse.Namespace, name: str, *options: str) -> tuple[Path, Rows]:
    reads, clones = args.work / f"{name}.fastq.gz", args.work / f"{name}.clones.tsv"
    if not reads.exists():
        command = [args.simulator_python, str(args.tools / "simulate_repertoire.py"), "--quiet"]
        command += ["--locus", "IGH", "-o", str(reads), "--clones", str(clones), *options]
        subprocess.run(command, check=True)
    with clones.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "dominant"]
    return reads, sorted(rows, key=lambda row: row["clone_id"])  # largest first


def run(path: Path, **options: Any) -> AnalysisResult:
    return analyze([path], load_germline("human:IGH").germline_set, AnalysisOptions(**options))


def v_identity(args: argparse.Namespace) -> dict[str, Any]:
    v_genes = {
        gene.name: gene
        for locus in load_germline("human:IGH").germline_set.loci
        for gene in locus.v_genes
    }
    errors: dict[str, list[float]] = {"region": [], "drawn": [], "realised": []}
    for seed in args.seeds:
        reads, rows = _shm_sample(args, seed)
        truth = {row["junction_aa"]: row for row in rows}
        for clone in run(reads, **IGH_OPTIONS).clones[:30]:
            row = truth.get(clone.designation.junction_aa if clone.designation else "")
            if row is None or clone.v_identity is None:
                continue
            found = clone.v_identity
            compared = found.end - found.start
            true_end = int(row["junction_start"]) + 3
            region = row["sequence"][true_end - compared : true_end]
            allele = v_genes[row["v_call"]]
            germline = allele.sequence[: allele.anchor + 3][-len(region) :]
            same = sum(a == b for a, b in zip(region, germline, strict=True))
            errors["region"].append(found.percent - 100.0 * same / len(region))
            errors["drawn"].append(found.percent - 100.0 * (1 - float(row["shm_rate"])))
            rate = int(row["n_shm"]) / len(row["sequence"])
            errors["realised"].append(found.percent - 100.0 * (1 - rate))
    return {name: _summary(values) for name, values in errors.items()}


def _shm_sample(args: argparse.Namespace, seed: int) -> tuple[Path, Rows]:
    """20,000 IGH reads, 30 dominant clones of 2%, 90% of them hypermutated at about 5%."""
    dominant = ",".join(["0.02"] * 30)
    return simulate(
        args, f"shm-s{seed}", "--reads", "20000", "--seed", str(seed), "--shm-rate", "0.05",
        "--shm-clone-fraction", "0.9", "--dominant", dominant,
    )  # fmt: skip


def _summary(values: list[float]) -> dict[str, Any]:
    absolute = [abs(value) for value in values]
    return {
        "clones": len(values),
        "mean_abs": round(statistics.fmean(absolute), 3) if values else None,
        "max_abs": round(max(absolute), 3) if values else None,
        "within_1_point": sum(value <= 1.0 for value in absolute),
    }


def mrd(args: argparse.Namespace) -> list[dict[str, Any]]:
    diagnosis, _ = simulate(
        args, "diag", "--reads", "20000", "--seed", "21", "--dominant", "0.4,0.05"
    )
    leukemic = run(diagnosis, **IGH_OPTIONS).clones[0]
    found = []
    for reads in args.mrd_reads:
        follow_up, _ = simulate(
            args, f"fu200k-{reads}", "--reads", "200000", "--seed", "22",
            "--clones-in", str(args.work / "diag.clones.tsv"), "--dominant", f"{reads / 200000}",
        )  # fmt: skip
        result = run(follow_up, **IGH_OPTIONS)
        listed = [c.reads[0] for c in result.clones if c.clone_id == leukemic.clone_id]
        windows_path = args.work / f"fu200k-{reads}.windows.tsv.gz"
        write_window_counts(result, windows_path)
        (windows,) = read_window_counts(windows_path)
        found.append(
            {
                "simulated_reads": reads,
                "in_clone_list": listed[0] if listed else 0,
                "counted_from_windows": marker_reads(leukemic.clone_id, windows),
                "clones_listed": len(result.clones),
            }
        )
    return found


def spike_ins(args: argparse.Namespace) -> list[dict[str, Any]]:
    copies = [10, 40, 160, 10, 40, 160, 25]  # six spike-ins, then the leukemic clone
    found = []
    for seed in args.seeds:
        rng = random.Random(seed)
        reads = [_poisson(rng, args.reads_per_copy * count) for count in copies]
        fractions = ",".join(f"{count / args.spike_reads:.6g}" for count in reads)
        path, rows = simulate(
            args, f"spiked-s{seed}", "--reads", str(args.spike_reads), "--seed", str(seed),
            "--dominant", fractions,
        )  # fmt: skip
        rows = _in_requested_order(rows, reads)
        spikes = tuple(
            Spike(f"spike{n}", row["sequence"], count)
            for n, (row, count) in enumerate(zip(rows[:6], copies, strict=False))
        )
        result = run(path, **{**IGH_OPTIONS, "spikes": spikes})
        factor = result.samples[0].normalization
        leukemic = rows[6]["window"]
        clone = next(c for c in result.clones if leukemic in c.sequence)
        estimate = factor.copies(clone.reads[0]) if factor else 0.0
        found.append(
            {
                "seed": seed,
                "coefficient": factor.coefficient if factor else None,
                "r2": factor.r2 if factor else None,
                "leukemic_reads": clone.reads[0],
                "leukemic_copies": round(estimate, 2),
                "error_percent": round(100.0 * (estimate / 25 - 1), 2),
            }
        )
    return found


def _in_requested_order(rows: Rows, requested: list[int]) -> Rows:
    """The simulator lists dominant clones largest first: back in `--dominant` order, by rank
    (clones of one copy number may swap, which changes nothing)."""
    by_size = sorted(rows, key=lambda row: -int(row["reads"]))
    ranks = sorted(range(len(requested)), key=lambda index: -requested[index])
    ordered = [by_size[0]] * len(requested)
    for rank, index in enumerate(ranks):
        ordered[index] = by_size[rank]
    return ordered


def _poisson(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean**0.5)))


def cost(args: argparse.Namespace) -> list[dict[str, Any]]:
    """CPU time of V identity on the designated clones, against the whole analysis."""
    germline_set = load_germline("human:IGH").germline_set
    found = []
    for seed in args.seeds[:2]:
        reads, _ = _shm_sample(args, seed)
        started = time.process_time()
        result = run(reads, **IGH_OPTIONS)
        analysis = time.process_time() - started
        meter = IdentityMeter(germline_set)
        designated = [(c.sequence, c.designation) for c in result.clones if c.designation]
        started = time.process_time()
        for _ in range(5):
            for sequence, designation in designated:
                meter.v_identity(sequence, designation)
        spent = (time.process_time() - started) / 5
        found.append(
            {
                "seed": seed,
                "analysis_cpu_s": round(analysis, 2),
                "clones": len(designated),
                "v_identity_cpu_ms": round(1000 * spent, 1),
            }
        )
    return found


PARTS = {"v_identity": v_identity, "mrd": mrd, "spike_ins": spike_ins, "cost": cost}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulator-python", default=sys.executable)
    parser.add_argument("--tools", type=Path, default=SHARED_TOOLS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/clinical-measures"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[41, 42, 43])
    parser.add_argument("--mrd-reads", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--reads-per-copy", type=float, default=20.0)
    parser.add_argument("--spike-reads", type=int, default=20000)
    parser.add_argument("--parts", nargs="+", choices=list(PARTS), default=list(PARTS))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for part in args.parts:
        print({part: PARTS[part](args)}, flush=True)


if __name__ == "__main__":
    main()
