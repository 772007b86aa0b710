"""Benchmark backups: time and size of a full and of incremental backups of a data folder holding
about `--megabytes` MB of results, then a whole check and a restore into an empty folder.

The data folder is made here: a database with a lab's rows (users, patients, samples, one result
per sample, a fused result per patient), and per sample a `.vidjil`, an AIRR TSV and a window
counts file of realistic sizes (random bytes: a backup does not compress, so content does not
matter). Then, each timed with the backup's own service (`take_backup`, as the scheduler and
`vidjil-local backup` call it):

1. the first (full) backup;
2. a backup with nothing changed (the database and the unchanged files' times only);
3. a backup after ten new samples were analysed (their results, and the patients' fused results
   re-made);
4. `backup --verify`'s whole check of the last backup (every file re-read and re-hashed);
5. a restore into an empty data folder (checked whole, staged, checked while copied, swapped).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_backup.py --megabytes 1024

The files were just written, so the first backup reads them from the page cache, as a backup
of results written during the day would; the backup folder is on the same disk unless `--to`.
Not part of the test suite: it needs about three times `--megabytes` of disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from vidjil_local.db import Database, migrate
from vidjil_local.db.clock import now
from vidjil_local.services.accounts import members
from vidjil_local.services.backups import BackupStore, Trigger, runs
from vidjil_local.services.backups.restore import check_backup, restore_snapshot
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import Settings, resolve_settings

MEGABYTE = 1024 * 1024
# one analysed sample: .vidjil, AIRR TSV, window counts (sizes of a 1M-read IGH sample here)
SAMPLE_FILES = {"vidjil": 2_400_000, "tsv": 900_000, "windows.tsv.gz": 500_000}
SAMPLES_PER_PATIENT = 3
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


class LabData:
    """Writes samples' results and their rows, as analyses and fuses would."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.config_id = int(
            database.db().execute("SELECT id FROM configs WHERE name = 'IGH'").fetchone()[0]
        )
        with database.write() as db:
            self.user_id = members.create_user(db, "bench@lab.example", "benchmark backups 1")

    def patient(self, samples: int) -> None:
        with self.database.write() as db:
            set_id = int(db.table("sample_sets").insert({
                "kind": "patient", "last_name": "Bench", "created_at": now(),
                "updated_at": now(), "created_by": self.user_id,
            }).last_pk or 0)  # fmt: skip
            result_ids = [self._sample(db, set_id) for _ in range(samples)]
        self.fuse(set_id, result_ids)

    def _sample(self, db: object, set_id: int) -> int:
        table = db.table  # type: ignore[attr-defined]
        sample_id = int(table("samples").insert(
            {"original_name": "s.fastq.gz", "status": "ready", "created_at": now()}
        ).last_pk or 0)  # fmt: skip
        table("set_samples").insert({"sample_set_id": set_id, "sample_id": sample_id})
        folder = f"{sample_id}/{sample_id}"
        names = {}
        for suffix, size in SAMPLE_FILES.items():
            path = self.settings.results_dir / folder / f"sample.{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(size))
            names[suffix] = path.name
        summary = {"vidjil": names["vidjil"], "airr": names["tsv"]}
        return int(table("results").insert({
            "sample_id": sample_id, "config_id": self.config_id, "created_at": now(),
            "folder": folder, "summary": json.dumps(summary),
        }).last_pk or 0)  # fmt: skip

    def fuse(self, set_id: int, result_ids: list[int]) -> None:
        path = f"fused/{set_id}/{self.config_id}/{os.urandom(8).hex()}.vidjil"
        target = self.settings.results_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(os.urandom(SAMPLE_FILES["vidjil"] * len(result_ids) // 2))
        with self.database.write() as db:
            old = db.execute(
                "SELECT path FROM fused_results WHERE sample_set_id = ?", [set_id]
            ).fetchone()
            db.table("fused_results").upsert({
                "sample_set_id": set_id, "config_id": self.config_id, "path": path,
                "result_ids": json.dumps(result_ids), "updated_at": now(),
            }, pk=("sample_set_id", "config_id"))  # fmt: skip
        if old:
            (self.settings.results_dir / old[0]).unlink()


def report(name: str, run: runs.BackupRun, seconds: float) -> None:
    print(
        f"| {name} | {seconds:.1f} | {run.files} | {(run.bytes or 0) / MEGABYTE:,.0f} | "
        f"{(run.new_bytes or 0) / MEGABYTE:,.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=1024, help="results to back up")
    parser.add_argument("--to", help="backup folder (default: a temporary one on the same disk)")
    parser.add_argument("--keep", action="store_true", help="keep the folders made")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    backups = Path(args.to) if args.to else work / "backups"
    try:
        run_benchmark(work, backups, args.megabytes)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            if args.to:
                shutil.rmtree(backups, ignore_errors=True)


def run_benchmark(work: Path, backups: Path, megabytes: int) -> None:
    settings = resolve_settings(work / "data", environ={}, overrides={"backup_dir": str(backups)})
    database = Database(settings.database_path)
    migrate(database.db())
    lab = LabData(settings, database)
    samples = SAMPLES_PER_PATIENT * sum(SAMPLE_FILES.values())
    per_patient = samples + SAMPLE_FILES["vidjil"] * SAMPLES_PER_PATIENT // 2  # and its fuse
    patients = max(1, round(megabytes * MEGABYTE / per_patient))
    started = time.perf_counter()
    for _ in range(patients):
        lab.patient(SAMPLES_PER_PATIENT)
    made = time.perf_counter() - started
    results = folder_bytes(settings.results_dir)
    print(f"data folder: {patients} patients, {patients * SAMPLES_PER_PATIENT} samples, "
          f"{results / MEGABYTE:,.0f} MB of results in {made:.0f} s; "
          f"{os.cpu_count()} CPUs, load average before {os.getloadavg()}")  # fmt: skip
    print("| backup | seconds | files | MB backed up | MB written |")
    print("|---|---|---|---|---|")

    def backup() -> runs.BackupRun:
        return take_backup(settings, database, trigger=Trigger.COMMAND)

    full, seconds = timed(backup)
    report("first (full)", full, seconds)
    unchanged, seconds = timed(backup)
    report("nothing changed", unchanged, seconds)
    for _ in range(10):
        lab.patient(1)
    grown, seconds = timed(backup)
    report("10 new samples", grown, seconds)
    store = BackupStore(backups)
    manifest, seconds = timed(lambda: check_backup(store, str(grown.snapshot)))
    print(f"whole check of the last backup: {seconds:.1f} s")
    target = resolve_settings(work / "restored", environ={})
    _, restoring = timed(lambda: restore_snapshot(target, store, manifest))
    total = seconds + restoring
    print(f"restore into an empty folder: {restoring:.1f} s after the check ({total:.1f} s in all)")
    print(f"backup folder: {folder_bytes(backups) / MEGABYTE:,.0f} MB for 3 backups; "
          f"load average after {os.getloadavg()}")  # fmt: skip
    database.close()


if __name__ == "__main__":
    main()
