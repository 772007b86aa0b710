"""Benchmark `vidjil_local.reads.iter_chunks`: reads per second and peak memory.

Generates a FASTQ (or FASTA) file of the asked size, plain or gzipped, then reads it once and
prints reads/s, MB/s and the peak resident memory, with the memory after the first tenth of the
reads for comparison: memory must stay flat whatever the file size.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_reads.py --megabytes 300
    PYTHONPATH=src .venv/bin/python benchmarks/bench_reads.py --megabytes 300 --gzip

Not part of the test suite: it takes tens of seconds and a few hundred MB of disk.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, cast

from isal import igzip

from vidjil_local.reads import iter_chunks

RECORD_POOL = 1000


def record_pool(read_length: int, fasta: bool) -> list[bytes]:
    """Distinct record bodies (sequence and qualities), reused under fresh names."""
    generator = random.Random(42)
    bodies = []
    for _ in range(RECORD_POOL):
        bases = "".join(generator.choices("ACGT", k=read_length))
        quality = "".join(generator.choices("#+5?FI", k=read_length))
        bodies.append(f"{bases}\n" if fasta else f"{bases}\n+\n{quality}\n")
    return [body.encode() for body in bodies]


def write_reads(output: BinaryIO, megabytes: int, read_length: int, fasta: bool) -> int:
    """Write about `megabytes` MB of reads to `output`; return the number of reads."""
    bodies = record_pool(read_length, fasta)
    marker = b">" if fasta else b"@"
    target = megabytes * 1_000_000
    written = count = 0
    while written < target:
        block = b"".join(
            marker + f"read{count + index} 1:N:0:1\n".encode() + bodies[index % RECORD_POOL]
            for index in range(10_000)
        )
        output.write(block)
        written += len(block)
        count += 10_000
    return count


def gzip_writer(raw: BinaryIO) -> BinaryIO:
    writer = igzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=1)  # type: ignore[no-untyped-call]
    return cast(BinaryIO, writer)


def peak_rss_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(path: Path, expected: int, chunk_size: int) -> None:
    size = path.stat().st_size
    before = peak_rss_megabytes()
    rss_at_tenth = 0.0
    reads = 0
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for chunk in iter_chunks([path], chunk_size):
        reads += len(chunk)
        if not rss_at_tenth and reads >= expected // 10:
            rss_at_tenth = peak_rss_megabytes()
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    assert reads == expected, (reads, expected)
    print(f"file: {size / 1e6:.0f} MB stored, {reads} reads")
    print(f"time: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"speed: {reads / wall / 1e6:.2f} M reads/s wall ({reads / cpu / 1e6:.2f} by CPU time)")
    print(f"speed: {size / wall / 1e6:.0f} MB/s stored")
    print(
        f"peak RSS: {before:.0f} MB before reading, {rss_at_tenth:.0f} MB after a tenth, "
        f"{peak_rss_megabytes():.0f} MB at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=300, help="uncompressed size")
    parser.add_argument("--read-length", type=int, default=250)
    parser.add_argument("--gzip", action="store_true", help="gzip the file (level 1)")
    parser.add_argument("--fasta", action="store_true", help="FASTA instead of FASTQ")
    parser.add_argument("--chunk-size", type=int, default=4096)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_reads_") as directory:
        path = Path(directory) / "reads"
        with open(path, "wb") as raw, gzip_writer(raw) if arguments.gzip else raw as output:
            count = write_reads(output, arguments.megabytes, arguments.read_length, arguments.fasta)
        measure(path, count, arguments.chunk_size)


if __name__ == "__main__":
    main()
