"""Start-up of the built desktop app: seconds from starting `vidjil-local serve` to the first
answer of /api/health, warm (the app's files in the page cache) and cold (the app's files evicted
from the page cache first, as after a reboot; the system's own libraries stay cached), on a new
data folder (first start: database created) and on an existing one; and the folder's size with
its biggest parts.

    .venv/bin/python benchmarks/bench_startup.py [dist/vidjil-local/vidjil-local] [--runs 5]

CPU seconds (user + system of the app until its first answer) say what a quiet machine does
when the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path


def evict_from_page_cache(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)


def first_answer(program: Path, data_dir: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from start to the first 200 of /api/health."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    server = subprocess.Popen(
        [program, "--data-dir", str(data_dir), "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            assert server.poll() is None, "the app stopped"
            try:
                port = json.loads((data_dir / "instance.json").read_text())["port"]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                    wall = time.monotonic() - started
                    break
            except (OSError, ValueError, KeyError):
                time.sleep(0.005)
    finally:
        server.terminate()
        server.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu  # CPU includes the shutdown: an upper bound


def sizes(folder: Path, top: int = 8) -> list[tuple[str, int]]:
    parts: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():  # PyInstaller links libraries into _internal
            relative = path.relative_to(folder).parts
            key = "/".join(relative[:2]) if relative[0] == "_internal" else relative[0]
            parts[key] = parts.get(key, 0) + path.stat().st_size
    return sorted(parts.items(), key=lambda item: -item[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("program", nargs="?", default="dist/vidjil-local/vidjil-local")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    program = Path(args.program).resolve()
    folder = program.parent
    total = sum(size for _, size in sizes(folder, top=10_000))
    print(f"{folder}: {total / 1e6:.0f} MB; load average {os.getloadavg()[0]:.1f}")
    for name, size in sizes(folder):
        print(f"  {name}: {size / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as scratch:
        existing = Path(scratch) / "existing"
        first_answer(program, existing)
        cases = {
            "cold, new data folder": (True, None),
            "cold, existing data folder": (True, existing),
            "warm, new data folder": (False, None),
            "warm, existing data folder": (False, existing),
        }
        for label, (cold, data_dir) in cases.items():
            walls, cpus = [], []
            for run in range(args.runs):
                if cold:
                    evict_from_page_cache(folder)
                target = data_dir or Path(scratch) / f"{label}-{run}".replace(" ", "-")
                wall, cpu = first_answer(program, target)
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{label}: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, "
                f"max {max(walls):.2f}), CPU {statistics.median(cpus):.2f} s"
            )


if __name__ == "__main__":
    main()
