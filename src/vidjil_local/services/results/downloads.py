"""Downloads of results beyond their files: the log of one analysis (what ran, on what, how it
went, and the program's own statistics), and a zip of a whole set's results with a metadata
file, streamed so that a set of any size never sits in memory.

Each needs the `read` right on a set holding the data, and is audited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidjil_local import __version__
from vidjil_local.db.clock import now
from vidjil_local.db.samples import file_name, file_path
from vidjil_local.results import load_document
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.access import ResultAccess, ResultRecord
from vidjil_local.services.results.archive import ZipStream
from vidjil_local.settings import Settings


def _safe(name: str) -> str:
    """A name usable as one component of a path in the zip (no folders, no odd characters)."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", name).strip("._") or "file"


def _job_lines(access: ResultAccess, job_id: int | None) -> list[str]:
    if job_id is None:
        return ["job: none (imported or recorded without a job)"]
    job = (
        access.database.db()
        .execute(
            "SELECT status, attempts, created_at, started_at, finished_at FROM jobs WHERE id = ?",
            [job_id],
        )
        .fetchone()
    )
    if job is None:
        return [f"job: {job_id} (no longer kept)"]
    return [
        f"job: {job_id}, {job[0]}, {job[1]} attempt(s)",
        f"queued: {job[2]}",
        f"started: {job[3] or '-'}",
        f"finished: {job[4] or '-'}",
    ]


def log_text(access: ResultAccess, record: ResultRecord) -> str:
    """The analysis log of a result: what ran on which sample, its job, and the statistics."""
    row = (
        access.database.db()
        .execute(
            "SELECT s.original_name, c.name FROM samples s, configs c WHERE s.id = ? AND c.id = ?",
            [record.sample_id, record.config_id],
        )
        .fetchone()
    )
    document = load_document(record.file(access.results_dir, "vidjil"))
    samples = document.get("samples") or {}
    reads = document.get("reads") or {}
    total, analysed = int(_first(reads.get("total")) or 0), int(_first(reads.get("segmented")) or 0)
    lines = [
        f"vidjil-local {__version__}: analysis log of result {record.id}",
        f"sample: {row[0]} (sample {record.sample_id})",
        f"config: {row[1]} (config {record.config_id})",
        f"recorded: {record.created_at}",
        *_job_lines(access, record.job_id),
        f"producer: {_first(samples.get('producer')) or document.get('producer', '')}",
        f"command line: {_first(samples.get('commandline'))}",
        f"germline: {record.summary.get('germline', '')}",
        f"reads: {total}, analysed {analysed}"
        + (f" ({100 * analysed / total:.2f}%)" if total else ""),
        *(
            f"  {locus}: {_first(values)}"
            for locus, values in (reads.get("germline") or {}).items()
        ),
        "",
        str(_first(samples.get("log"))).rstrip(),
    ]
    merging = _first(samples.get("_merging"))
    if isinstance(merging, dict):
        lines += ["", "paired-end merging: " + json.dumps(merging, sort_keys=True)]
    return "\n".join(lines) + "\n"


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else ""


def log_name(record: ResultRecord) -> str:
    return Path(str(record.summary.get("vidjil", f"result-{record.id}"))).stem + ".log"


def result_log(
    access: ResultAccess, principal: Principal, actor: audit.Actor, result_id: int
) -> tuple[str, str]:
    """The analysis log of a result the user may read, and the file name to offer."""
    record = access.result(principal, result_id)
    text = log_text(access, record)
    audit.record_now(
        access.database,
        actor,
        "download_result",
        table_name="results",
        record_id=result_id,
        file="log",
    )
    return text, log_name(record)


@dataclass(frozen=True)
class ArchiveEntry:
    name: str  # path inside the zip
    source: Path | None = None  # a file to copy
    text: str | None = None  # or this content


class SetArchive:
    """A zip of one set: its fused results, each sample's latest results (`.vidjil`, AIRR, log)
    per config, its latest `.analysis`, optionally the reads files, and `metadata.json`."""

    def __init__(self, access: ResultAccess, settings: Settings) -> None:
        self.access = access
        self.settings = settings
        self.database = access.database

    def entries(
        self,
        principal: Principal,
        actor: audit.Actor,
        sample_set: dict[str, Any],
        *,
        with_reads: bool,
    ) -> list[ArchiveEntry]:
        """What the zip holds, every right checked before the first byte is sent."""
        set_id = int(sample_set["id"])
        authz.require(self.database, principal, "read", set_id)
        samples = self._samples(set_id)
        entries: list[ArchiveEntry] = []
        metadata_samples = []
        for position, sample in enumerate(samples, start=1):
            folder = f"samples/{position:02d}-{_safe(Path(sample['original_name']).name)}"
            results = self._latest_results(sample["id"])
            for record, config_name in results:
                entries += self._result_entries(record, f"{folder}/{_safe(config_name)}")
            if with_reads:
                entries += self._reads_entries(sample, f"{folder}/reads")
            metadata_samples.append(self._sample_metadata(sample, results))
        entries += self._fused_entries(set_id)
        entries += self._analysis_entries(set_id)
        metadata = {
            "exported_at": now(),
            "exported_by": actor.email,
            "producer": f"vidjil-local {__version__}",
            "sample_set": sample_set,
            "samples": metadata_samples,
            "includes_reads": with_reads,
        }
        entries.insert(0, ArchiveEntry("metadata.json", text=json.dumps(metadata, indent=1)))
        audit.record_now(
            self.database,
            actor,
            "download_set",
            table_name="sample_sets",
            record_id=set_id,
            with_reads=with_reads,
            files=len(entries),
        )
        return entries

    def _samples(self, set_id: int) -> list[dict[str, Any]]:
        return list(
            self.database.db().query(
                "SELECT s.* FROM set_samples ss JOIN samples s ON s.id = ss.sample_id "
                "WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
                [set_id],
            )
        )

    def _latest_results(self, sample_id: int) -> list[tuple[ResultRecord, str]]:
        rows = self.database.db().query(
            "SELECT r.*, c.name AS config_name FROM results r JOIN configs c ON c.id = r.config_id "
            "WHERE r.id IN (SELECT max(id) FROM results WHERE sample_id = ? GROUP BY config_id) "
            "ORDER BY r.config_id",
            [sample_id],
        )
        found = []
        for row in rows:
            name = row.pop("config_name")
            found.append((ResultRecord.from_row(row), str(name)))
        return found

    def _result_entries(self, record: ResultRecord, folder: str) -> list[ArchiveEntry]:
        entries = []
        for kind in ("vidjil", "airr"):
            if record.summary.get(kind):
                path = record.file(self.access.results_dir, kind)
                entries.append(ArchiveEntry(f"{folder}/{_safe(path.name)}", source=path))
        log = log_text(self.access, record)
        entries.append(ArchiveEntry(f"{folder}/{_safe(log_name(record))}", text=log))
        return entries

    def _reads_entries(self, sample: dict[str, Any], folder: str) -> list[ArchiveEntry]:
        entries = []
        for number in (1, 2):
            path = file_path(self.settings, sample, number)
            if path is not None and path.is_file():
                own_name = Path(str(file_name(sample, number))).name  # as the sequencer named it
                entries.append(ArchiveEntry(f"{folder}/{_safe(own_name)}", source=path))
        return entries

    def _sample_metadata(
        self, sample: dict[str, Any], results: list[tuple[ResultRecord, str]]
    ) -> dict[str, Any]:
        keep = (
            "id",
            "original_name",
            "original_name2",
            "sampling_date",
            "info",
            "pcr",
            "sequencer",
            "producer",
            "size",
            "size2",
            "sha256",
            "sha256_2",
            "status",
            "created_at",
        )
        return {
            **{key: sample[key] for key in keep},
            "original_name1": file_name(sample, 1),  # the R1's (or only file's) own name
            "results": [
                {
                    "id": record.id,
                    "config_id": record.config_id,
                    "config": config_name,
                    "created_at": record.created_at,
                    "job_id": record.job_id,
                    "summary": record.summary,
                }
                for record, config_name in results
            ],
        }

    def _fused_entries(self, set_id: int) -> list[ArchiveEntry]:
        rows = self.database.db().execute(
            "SELECT f.path, c.name FROM fused_results f JOIN configs c ON c.id = f.config_id "
            "WHERE f.sample_set_id = ? ORDER BY f.config_id",
            [set_id],
        )
        return [
            ArchiveEntry(f"fused/{_safe(str(name))}.vidjil", source=self.access.results_dir / path)
            for path, name in rows.fetchall()
            if (self.access.results_dir / path).is_file()
        ]

    def _analysis_entries(self, set_id: int) -> list[ArchiveEntry]:
        row = (
            self.database.db()
            .execute(
                "SELECT id, content FROM analyses WHERE sample_set_id = ? ORDER BY id DESC LIMIT 1",
                [set_id],
            )
            .fetchone()
        )
        return [] if row is None else [ArchiveEntry(f"set-{set_id}.analysis", text=row[1])]


def stream_archive(entries: list[ArchiveEntry]) -> Iterator[bytes]:
    """The zip of `entries`, in pieces of about a megabyte."""
    stream = ZipStream()
    for entry in entries:
        if entry.source is not None:
            pieces = stream.add_file(entry.name, entry.source)
        else:
            pieces = stream.add_text(entry.name, entry.text or "")
        yield from (piece for piece in pieces if piece)
    yield from stream.close()
