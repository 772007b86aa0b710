"""Benchmark an upload to a real `vidjil-local serve`: throughput and the server's peak memory.

Generates a FASTQ file of the asked size, starts the server on a fresh data dir, creates the
admin, a run and a sample, then streams the file with httpx to `PUT /api/samples/{id}/files/1`
(in one request, or in ranges as the browser client sends it: `--range-megabytes 8`).
Prints MB/s (the PUT includes the server's SHA-256, fsync and full format check), the time the
format check alone takes here, and the server's peak resident memory (VmHWM of
/proc/<pid>/status) before and after: memory must stay flat whatever the file size.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_upload.py --megabytes 1024

Not part of the test suite: it takes about a minute and twice the file size of disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import httpx
from lab_api import csrf, start_server

from vidjil_local.reads import check_reads_file

ADMIN = {"email": "bench@lab.example", "password": "benchmark upload 1"}
CHUNK = 1024 * 1024
RECORD_POOL = 1000


def write_fastq(path: Path, megabytes: int, read_length: int = 150) -> str:
    """A FASTQ of about `megabytes` MB from a pool of random records; returns its SHA-256."""
    generator = random.Random(42)
    bodies = []
    for _ in range(RECORD_POOL):
        bases = "".join(generator.choices("ACGT", k=read_length))
        quality = "".join(generator.choices("#+5?FI", k=read_length))
        bodies.append(f"{bases}\n+\n{quality}\n".encode())
    hasher = hashlib.sha256()
    target = megabytes * 1024 * 1024
    written, index = 0, 0
    with path.open("wb") as output:
        while written < target:
            block = b"".join(
                b"@read%d\n" % (index + offset) + bodies[(index + offset) % RECORD_POOL]
                for offset in range(2000)
            )
            output.write(block)
            hasher.update(block)
            written += len(block)
            index += 2000
    return hasher.hexdigest()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its finished children (a load-independent cost)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def new_sample(client: httpx.Client) -> int:
    client.get("/api/auth/status")
    created = client.post("/api/auth/setup", json=ADMIN, headers=csrf(client))
    created.raise_for_status()
    run = client.post(
        "/api/sample-sets", json={"kind": "run", "name": "bench"}, headers=csrf(client)
    )
    run.raise_for_status()
    sample = client.post(
        f"/api/sample-sets/{run.json()['id']}/samples",
        json={"original_name": "bench.fastq"},
        headers=csrf(client),
    )
    sample.raise_for_status()
    sample_id: int = sample.json()["id"]
    return sample_id


def upload(
    client: httpx.Client, sample_id: int, path: Path, range_bytes: int | None
) -> tuple[float, dict[str, object]]:
    """One PUT of the whole file, or (`range_bytes`) one PUT per range with `Content-Range`,
    each after the answer to the one before, as the browser client sends a file."""
    size = path.stat().st_size
    step = range_bytes or size
    started = time.perf_counter()
    with path.open("rb") as source:
        for start in range(0, size, step):
            end = min(start + step, size)
            headers = {**csrf(client), "content-range": f"bytes {start}-{end - 1}/{size}"}
            response = client.put(
                f"/api/samples/{sample_id}/files/1",
                content=ranged(source, end - start),
                headers={**headers, "content-length": str(end - start)},
                timeout=None,
            )
            response.raise_for_status()
    elapsed = time.perf_counter() - started
    body: dict[str, object] = response.json()
    return elapsed, body


def ranged(source: BinaryIO, count: int) -> Iterator[bytes]:
    while count > 0 and (block := source.read(min(CHUNK, count))):
        count -= len(block)
        yield block


def run(megabytes: int, folder: Path, range_megabytes: int | None) -> None:
    reads = folder / "bench.fastq"
    print(f"writing {megabytes} MB of FASTQ...", flush=True)
    digest = write_fastq(reads, megabytes)
    size = reads.stat().st_size
    process, url = start_server(folder / "data")
    try:
        with httpx.Client(base_url=url) as client:
            sample_id = new_sample(client)
            before = memory_kb(process.pid, "VmHWM")
            cpu_before, client_before = cpu_seconds(process.pid), time.process_time()
            range_bytes = range_megabytes * 1024 * 1024 if range_megabytes else None
            elapsed, body = upload(client, sample_id, reads, range_bytes)
            cpu = cpu_seconds(process.pid) - cpu_before
            client_cpu = time.process_time() - client_before
            peak = memory_kb(process.pid, "VmHWM")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert body["sha256"] == digest and body["size"] == size, body
    started = time.perf_counter()
    check_reads_file(reads, None)
    check_seconds = time.perf_counter() - started
    print(f"uploaded {size / 1e6:.0f} MB in {elapsed:.1f} s: {size / 1e6 / elapsed:.0f} MB/s")
    print(f"  (the PUT includes SHA-256, fsync and the full format check: {check_seconds:.1f} s")
    receiving = size / 1e6 / max(elapsed - check_seconds, 1e-9)
    print(f"   for the check alone here, so about {receiving:.0f} MB/s")
    print("   for receiving, hashing and writing)")
    print(f"server CPU time for the PUT: {cpu:.1f} s ({size / 1e6 / cpu:.0f} MB per CPU second)")
    print(f"client (httpx) CPU time: {client_cpu:.1f} s; both on 2 idle cores need at least")
    print(
        f"  {(cpu + client_cpu) / 2:.1f} s: {2 * size / 1e6 / (cpu + client_cpu):.0f} MB/s at most"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"server peak RSS (VmHWM): {before / 1024:.0f} MB before, {peak / 1024:.0f} MB after")
    print(f"checksum ok: {digest}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1024)
    parser.add_argument("--folder", type=Path, help="where to write (default: a temporary dir)")
    parser.add_argument(
        "--range-megabytes", type=int, help="send ranges of this size, as the browser client (8)"
    )
    args = parser.parse_args()
    if args.folder:
        args.folder.mkdir(parents=True, exist_ok=True)
        run(args.megabytes, args.folder, args.range_megabytes)
        return
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as folder:
        run(args.megabytes, Path(folder), args.range_megabytes)


if __name__ == "__main__":
    main()
