"""Benchmark paired-end merging alone (`core.merge_stats.merge_pairs`): pairs per CPU second.

Not a test. The pairs are read into memory first (parsing is not timed), then merged chunk by
chunk as the runners do, in this process only, several times; the best CPU time is kept (the
machine may be shared). Pairs from the shared simulator (`--paired R2 --mate-length L`, which
needs `olga`), or made here from random fragments when no files are given:

    python3 /work/shared/tools/simulate_repertoire.py --locus IGH --reads 200000 --seed 5 \
        --format fastq -o /tmp/r1.fastq.gz --paired /tmp/r2.fastq.gz --mate-length 150
    .venv/bin/python benchmarks/bench_merge.py /tmp/r1.fastq.gz /tmp/r2.fastq.gz
    .venv/bin/python benchmarks/bench_merge.py --pairs 200000 --min-length 150 --max-length 300

With `--single FILE`, the simulator's single-end reads of the same seed (the same fragments with
their own 0.1% of errors, written forward or reverse-complemented as the pairs are) check the
merged reads: same length as the fragment, and how many bases differ (the single-end errors,
about 1 per kb, plus the errors of each mate where the other does not reach, about 1 per kb).
Noise reads (random DNA) are drawn anew in each mode and left out.

Run it with the installed package (compiled core) to measure what users get; with
`PYTHONPATH=src` it measures the interpreted core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

from vidjil_local.core import is_compiled
from vidjil_local.core.merge_stats import MergeStatistics, Unmerged, merge_pairs
from vidjil_local.core.merging import PairMerger
from vidjil_local.pipeline.units import PairedReads
from vidjil_local.reads import DEFAULT_CHUNK_SIZE, iter_chunks, iter_pairs

COMPLEMENT = str.maketrans("ACGT", "TGCA")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, metavar="R1 R2", help="paired files")
    parser.add_argument("--pairs", type=int, default=200_000, help="pairs made here")
    parser.add_argument("--mate-length", type=int, default=150)
    parser.add_argument("--min-length", type=int, default=150, help="fragment lengths made here")
    parser.add_argument("--max-length", type=int, default=300)
    parser.add_argument("--error-rate", type=float, default=0.001)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--single", type=Path, help="single-end reads of the same simulation")
    return parser.parse_args()


def read_chunks(r1: Path, r2: Path) -> list[PairedReads]:
    return [
        (first.sequences, first.qualities, second.sequences, second.qualities)
        for first, second in iter_pairs(r1, r2, DEFAULT_CHUNK_SIZE, keep_qualities=True)
    ]


def made_chunks(args: argparse.Namespace) -> list[PairedReads]:
    """Random fragments, mates with independent errors, low qualities on most errors."""
    rng = random.Random(1)
    chunks: list[PairedReads] = []
    for start in range(0, args.pairs, DEFAULT_CHUNK_SIZE):
        chunk: PairedReads = ([], [], [], [])
        for _ in range(min(DEFAULT_CHUNK_SIZE, args.pairs - start)):
            fragment = "".join(rng.choices("ACGT", k=rng.randint(args.min_length, args.max_length)))
            mate2 = fragment[-args.mate_length :].translate(COMPLEMENT)[::-1]
            for read, reads, qualities in (
                (fragment[: args.mate_length], chunk[0], chunk[1]),
                (mate2, chunk[2], chunk[3]),
            ):
                sequenced, quality = with_errors(rng, read, args.error_rate)
                reads.append(sequenced)
                qualities.append(quality)
        chunks.append(chunk)
    return chunks


def with_errors(rng: random.Random, read: str, error_rate: float) -> tuple[str, bytes]:
    bases = list(read)
    quality = bytearray(b"I" * len(bases))
    for position in range(len(bases)):
        if rng.random() < error_rate:
            bases[position] = rng.choice([base for base in "ACGT" if base != bases[position]])
            quality[position] = ord("+") if rng.random() < 0.7 else ord("I")
    return "".join(bases), bytes(quality)


def merge_all(chunks: list[PairedReads]) -> tuple[float, MergeStatistics]:
    merger = PairMerger()
    total = MergeStatistics()
    started = time.process_time()
    for chunk in chunks:
        total += merge_pairs(merger, *chunk, Unmerged.R1)[1]
    return time.process_time() - started, total


def compare_with_single(chunks: list[PairedReads], single: Path) -> dict[str, float]:
    """Merged reads against the same fragments read single-end: lengths and differing bases."""
    merger = PairMerger()
    merged = wrong_length = differences = bases = noise = 0
    singles = iter_chunks([single], DEFAULT_CHUNK_SIZE)
    for chunk, reference in zip(chunks, singles, strict=True):
        origins: list[int] = []
        reads, _ = merge_pairs(merger, *chunk, Unmerged.DROP, origins)
        for origin, read in zip(origins, reads, strict=True):
            expected = reference.sequences[origin]
            merged += 1
            if len(read) != len(expected):
                wrong_length += 1
                continue
            different = sum(1 for a, b in zip(read, expected, strict=True) if a != b)
            if different > len(read) // 5:  # a noise read: random DNA drawn anew in each mode
                noise += 1
                continue
            bases += len(read)
            differences += different
    return {
        "merged": merged,
        "wrong_length": wrong_length,
        "noise_reads": noise,
        "differing_bases_per_kb": round(1000 * differences / max(bases, 1), 3),
    }


def main() -> None:
    args = parse_arguments()
    if len(args.files) not in (0, 2):
        raise SystemExit("give R1 and R2, or no file")
    chunks = read_chunks(*args.files) if args.files else made_chunks(args)
    best = min(merge_all(chunks) for _ in range(args.repeat))
    seconds, statistics = best
    lengths = sorted(statistics.overlaps)
    report = {
        "core": "compiled" if is_compiled() else "interpreted",
        "input": [str(path) for path in args.files] or vars(args) | {"files": []},
        "pairs": statistics.pairs,
        "merged": statistics.merged,
        "unmerged": statistics.unmerged(),
        "overlap_range": [lengths[0], lengths[-1]] if lengths else [],
        "cpu_seconds": round(seconds, 3),
        "pairs_per_cpu_second": round(statistics.pairs / seconds),
        "load_average": os.getloadavg()[0],
    }
    if args.single is not None:
        report["against_single_reads"] = compare_with_single(chunks, args.single)
    print(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
