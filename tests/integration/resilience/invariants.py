"""What must hold in a data folder whatever happened to the server: checked on the real SQLite
file and the real files, against what the server acknowledged to its client (the `Ledger`).

- the database passes `PRAGMA integrity_check` and `foreign_key_check`;
- every acknowledged upload is stored with the checksum the client computed, and the sequences
  folder holds exactly the stored files (no part, no leftover);
- every analysis job completed (none lost, none failed), each with exactly one result whose files
  are there and whole, and the results folder holds nothing else (no temporary file, no orphan);
- every set's fused result is made of the latest result of each of its samples, the reads of
  each clone those of the inputs;
- every acknowledged `.analysis` save is there as sent, and nothing was stored that was not sent.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATABASE = "vidjil.sqlite"


@dataclass
class Upload:
    sample_id: int
    content: bytes
    sha256: str
    complete: bool = False  # the server answered the last byte with the file's checksum


@dataclass
class Ledger:
    """What the server told its client it had done (acknowledged), and what the client sent."""

    set_ids: list[int] = field(default_factory=list)
    uploads: dict[int, Upload] = field(default_factory=dict)
    analysis_jobs: set[int] = field(default_factory=set)
    saves: dict[int, str] = field(default_factory=dict)  # acknowledged version -> text sent
    sent_saves: set[str] = field(default_factory=set)  # every text sent, acknowledged or not


@contextmanager
def opened(data_dir: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(data_dir / DATABASE, timeout=30)
    connection.row_factory = sqlite3.Row
    try:
        yield connection
    finally:
        connection.close()


def check_database(data_dir: Path) -> None:
    with opened(data_dir) as connection:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        assert integrity == ["ok"], integrity
        broken = [tuple(row) for row in connection.execute("PRAGMA foreign_key_check")]
        assert not broken, broken


def unfinished_jobs(data_dir: Path) -> list[tuple[int, str, str]]:
    with opened(data_dir) as connection:
        rows = connection.execute(
            "SELECT id, kind, status FROM jobs WHERE status IN ('queued', 'running')"
        )
        return [(row["id"], row["kind"], row["status"]) for row in rows]


def check_everything(data_dir: Path, ledger: Ledger) -> None:
    check_database(data_dir)
    with opened(data_dir) as connection:
        check_uploads(connection, data_dir, ledger)
        check_results(connection, data_dir, ledger)
        check_fused(connection, data_dir)
        check_saves(connection, ledger)


def check_uploads(connection: sqlite3.Connection, data_dir: Path, ledger: Ledger) -> None:
    sequences = data_dir / "sequences"
    stored = set()
    for upload in ledger.uploads.values():
        row = connection.execute(
            "SELECT status, stored_name, sha256, size FROM samples WHERE id = ?",
            [upload.sample_id],
        ).fetchone()
        assert row["status"] == "ready", (upload.sample_id, dict(row))
        assert (row["sha256"], row["size"]) == (upload.sha256, len(upload.content)), dict(row)
        path = sequences / row["stored_name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == upload.sha256, path
        stored.add(row["stored_name"])
    on_disk = {path.name for path in sequences.iterdir()} if sequences.exists() else set()
    assert on_disk == stored, f"sequences folder: {sorted(on_disk - stored)} not stored"


def check_results(connection: sqlite3.Connection, data_dir: Path, ledger: Ledger) -> None:
    jobs = {
        row["id"]: row["status"]
        for row in connection.execute("SELECT id, status FROM jobs WHERE kind = 'analysis'")
    }
    missing = ledger.analysis_jobs - set(jobs)
    assert not missing, f"acknowledged analysis jobs lost: {missing}"
    not_done = {job: status for job, status in jobs.items() if status != "completed"}
    assert not not_done, f"analysis jobs not completed: {not_done}"
    results = list(connection.execute("SELECT id, job_id, folder, summary FROM results"))
    per_job: dict[int, int] = {}
    for row in results:
        per_job[row["job_id"]] = per_job.get(row["job_id"], 0) + 1
    twice = {job: count for job, count in per_job.items() if count != 1}
    assert not twice, f"results stored more than once: {twice}"
    assert set(per_job) == set(jobs), f"jobs {set(jobs) ^ set(per_job)} without exactly a result"
    root = data_dir / "results"
    expected: set[Path] = set()
    for row in results:
        summary = json.loads(row["summary"])
        folder = root / row["folder"]
        document = json.loads((folder / summary["vidjil"]).read_text())
        assert document["reads"]["total"] == [summary["reads"]], row["id"]
        assert (folder / summary["airr"]).stat().st_size > 0
        expected |= {folder / name for name in (summary["vidjil"], summary["airr"])}
        expected.add(folder / summary["vidjil"].replace(".vidjil", ".windows.tsv.gz"))
    found = {path for path in root.rglob("*") if path.is_file() and "fused" not in path.parts}
    assert found == expected, f"results folder: unexpected {sorted(map(str, found - expected))}"


def check_fused(connection: sqlite3.Connection, data_dir: Path) -> None:
    root = data_dir / "results"
    recorded: set[Path] = set()
    for set_id, config_id, inputs in _expected_fuses(connection):
        row = connection.execute(
            "SELECT path, result_ids FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
            [set_id, config_id],
        ).fetchone()
        assert row is not None, f"set {set_id} has results but no fused result"
        assert json.loads(row["result_ids"]) == [result_id for result_id, _ in inputs], (
            f"set {set_id}: fused {row['result_ids']}, latest results {inputs}"
        )
        fused = json.loads((root / row["path"]).read_text())
        documents = [json.loads((root / path).read_text()) for _, path in inputs]
        _check_fused_reads(fused, documents)
        recorded.add(root / row["path"])
    fused_dir = root / "fused"
    found = (
        {path for path in fused_dir.rglob("*") if path.is_file()} if fused_dir.exists() else set()
    )
    assert found == recorded, f"fused folder: unexpected {sorted(map(str, found - recorded))}"


def _expected_fuses(
    connection: sqlite3.Connection,
) -> Iterator[tuple[int, int, list[tuple[int, str]]]]:
    """Each set and config with results, and the latest result of each of its samples in the
    set's order: (result id, path of its .vidjil)."""
    pairs = connection.execute(
        "SELECT DISTINCT ss.sample_set_id, r.config_id FROM results r "
        "JOIN set_samples ss ON ss.sample_id = r.sample_id"
    ).fetchall()
    for set_id, config_id in pairs:
        rows = connection.execute(
            "SELECT r.id, r.folder, r.summary FROM set_samples ss JOIN results r ON r.id = "
            "(SELECT max(id) FROM results WHERE sample_id = ss.sample_id AND config_id = ?) "
            "WHERE ss.sample_set_id = ? ORDER BY ss.position, ss.sample_id",
            [config_id, set_id],
        )
        inputs = [
            (row["id"], f"{row['folder']}/{json.loads(row['summary'])['vidjil']}") for row in rows
        ]
        yield set_id, config_id, inputs


def _check_fused_reads(fused: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    assert fused["samples"]["number"] == len(documents)
    assert fused["reads"]["total"] == [d["reads"]["total"][0] for d in documents]
    reads_of = [{clone["id"]: clone["reads"][0] for clone in d["clones"]} for d in documents]
    for clone in fused["clones"]:
        expected = [reads.get(clone["id"], 0) for reads in reads_of]
        assert clone["reads"] == expected, (clone["id"], clone["reads"], expected)


def check_saves(connection: sqlite3.Connection, ledger: Ledger) -> None:
    stored = {
        row["id"]: json.dumps(json.loads(row["content"]), sort_keys=True)
        for row in connection.execute("SELECT id, content FROM analyses")
    }
    for version, text in ledger.saves.items():
        assert stored.get(version) == text, f"acknowledged .analysis version {version} lost"
    strangers = {version for version, text in stored.items() if text not in ledger.sent_saves}
    assert not strangers, f".analysis versions that were never sent: {strangers}"
    assert len(set(stored.values())) == len(stored), ".analysis saved twice"
