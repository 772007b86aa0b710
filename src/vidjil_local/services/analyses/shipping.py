"""An `analysis` job on a worker machine: what it fetches from the server, and what comes back.

The worker fetches the sample's reads file(s) (their SHA-256 is known since the upload; a linked
network file is hashed once here) and, for an imported germline set, every file of the set's
folder (the bundled set ships with vidjil-local). Its `output_dir` is a folder of its own; every
file the analysis writes there comes back to this server's `output_dir` (`jobs/remote_server.py`).
"""

from __future__ import annotations

from pathlib import Path

from vidjil_local.db import Database
from vidjil_local.db.job_files import JobFile, Shipment, job_file
from vidjil_local.germline.loader import BUNDLED, split_spec
from vidjil_local.services.analyses import germlines
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.settings import Settings


def shipment(database: Database, settings: Settings, params: AnalysisParams) -> Shipment:
    checksums = (
        database.db()
        .execute("SELECT sha256, sha256_2 FROM samples WHERE id = ?", [params.sample_id])
        .fetchone()
    )
    known = tuple(checksums) if checksums else (None, None)
    files = [job_file(params.reads_path, _reads_name(1, params.reads_path), known[0])]
    fields = {"reads_path": files[0].name, "output_dir": "output", "results_dir": "."}
    if params.reads_path2 is not None:
        files.append(job_file(params.reads_path2, _reads_name(2, params.reads_path2), known[1]))
        fields["reads_path2"] = files[1].name
    if params.reads_root is not None:  # a linked file: on the worker, the copy it fetched
        fields["reads_root"] = "reads"
    location, selection = split_spec(params.germline)
    if location.lower() not in BUNDLED:
        germline_files, preset = _germline_files(settings, Path(location))
        files += germline_files
        fields["germline"] = preset + (f":{','.join(selection)}" if selection else "")
    return Shipment(files, fields, "output_dir")


def _reads_name(number: int, path: Path) -> str:
    """`reads/1.fastq.gz`: the file's own extensions kept (a gzip file stays one)."""
    suffixes = "".join(suffix for suffix in path.suffixes[-2:] if suffix.isascii())
    return f"reads/{number}{suffixes.lower()}"


def _germline_files(settings: Settings, preset: Path) -> tuple[list[JobFile], str]:
    """Every file of the imported set holding `preset`, and the preset's name among them."""
    root = germlines.folder(settings).resolve()
    relative = preset.resolve().relative_to(root)  # a preset resolved at launch lives there
    set_folder = root / relative.parts[0]
    files = [
        job_file(path, f"germline/{path.relative_to(root).as_posix()}")
        for path in sorted(set_folder.rglob("*"))
        if path.is_file()
    ]
    return files, f"germline/{relative.as_posix()}"
