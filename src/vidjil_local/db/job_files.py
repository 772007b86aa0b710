"""The files a job reads, as a worker machine fetches them: where they are here, the name they
take on the worker, their size and SHA-256 (checked by the worker after the download).

Checksums of files the database does not already know (linked network files, germline sets) are
computed once per path, size and modification time, and remembered by this process.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1024 * 1024
_known: dict[tuple[str, int, int], str] = {}
_known_lock = threading.Lock()


@dataclass(frozen=True)
class JobFile:
    path: Path  # on the server: never shown to the worker
    name: str  # relative path on the worker: "reads/<name>", "germline/<set>/<file>"
    size: int
    sha256: str


def job_file(path: Path, name: str, sha256: str | None = None) -> JobFile:
    """`path` as a job file, its checksum computed (once) when not given."""
    status = path.stat()
    return JobFile(path, name, status.st_size, sha256 or file_sha256(path))


def file_sha256(path: Path) -> str:
    status = path.stat()
    key = (str(path), status.st_size, status.st_mtime_ns)
    with _known_lock:
        if key in _known:
            return _known[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    with _known_lock:
        _known[key] = digest.hexdigest()
    return _known[key]


@dataclass(frozen=True)
class Shipment:
    """How a job travels to a worker machine: the files it fetches, the parameters that become
    paths of its job folder there (field -> path relative to that folder, e.g. `reads_path` ->
    `reads/1.fastq.gz`), and the folder parameter whose files come back as the job's result."""

    files: list[JobFile]
    fields: dict[str, str]
    output_field: str
