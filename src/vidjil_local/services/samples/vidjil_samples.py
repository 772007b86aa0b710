"""A `.vidjil` of several samples (a set fused by Vidjil) uploaded as one sample's file becomes
one sample per listed sample, in every set holding the uploaded one, as Vidjil showed them.

The uploaded sample takes the first; a new sample is made for each other one. Each gets a
one-sample `.vidjil` of its own (its read statistics, and only the clones with reads in it) as
its stored file, so the `import` config, the fuse and the downloads see ordinary samples. In one
transaction the rows are written and each file under a pending name made of its sample's id;
after the commit the upload's part is removed and the files take their final names. A failure
before the commit leaves the upload as it was (its part kept, the sample uploading); a kill
after it leaves pending files that `leftovers.py` renames at the next start (`finish_pending`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from vidjil_local.core import AnalysisResult
from vidjil_local.db import Database
from vidjil_local.db.samples import SampleStatus
from vidjil_local.errors import UsageError
from vidjil_local.results import write_vidjil
from vidjil_local.results.imports import import_samples
from vidjil_local.services import audit
from vidjil_local.services.authz import sets_of_sample
from vidjil_local.services.samples import samples
from vidjil_local.settings import Settings

COPIED = ("info", "pcr", "sequencer", "producer")  # what the user said of the upload


def split_upload(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    row: dict[str, Any],
    part: Path,
    digest: str,
) -> list[int] | None:
    """When the complete `part` of sample `row` is a `.vidjil` of several samples: the ids of
    the samples it became (the uploaded one first). None for any other file."""
    if row["original_name2"] is not None:
        return None
    results = import_samples(part)  # checked on arrival: a bad file was refused already
    if len(results) < 2:
        return None
    names = [_sample_name(result, index, row) for index, result in enumerate(results)]
    written: list[Path] = []
    try:
        ids = _record(
            database, settings, actor, row, list(zip(names, results, strict=True)), digest, written
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    _move_into_place(settings.sequences_dir, part, ids)
    return ids


def _move_into_place(folder: Path, part: Path, ids: list[int]) -> None:
    """After the commit: the upload's part removed, the pending files under their final names."""
    part.unlink(missing_ok=True)
    for sample_id in ids:
        pending_path(folder, sample_id).replace(folder / stored_name(sample_id))


def pending_path(folder: Path, sample_id: int) -> Path:
    """Where a split sample's file waits for the commit of its row."""
    return folder / f".{sample_id}_1.vidjil.pending"


def finish_pending(database: Database, folder: Path, path: Path, sample_id: int) -> None:
    """At start, a pending file a kill left: its final name when its row was committed (and the
    upload's part, no longer needed, removed), else removed (the rows were never committed)."""
    found = database.db().execute("SELECT stored_name FROM samples WHERE id = ?", [sample_id])
    row = found.fetchone()
    final = folder / stored_name(sample_id)
    if row is not None and row[0] == final.name and not final.exists():
        (folder / f"{sample_id}_1.part").unlink(missing_ok=True)
        path.replace(final)
    else:
        path.unlink()


def stored_name(sample_id: int) -> str:
    return f"{sample_id}_1.vidjil"


def _sample_name(result: AnalysisResult, index: int, row: dict[str, Any]) -> str:
    """The sample's name in the file (`original_names`), else the upload's name and its rank."""
    listed = Path(result.samples[0].original_name.replace("\\", "/")).name
    try:
        return samples.clean_name(listed)
    except UsageError:
        return samples.clean_name(f"{str(row['original_name'])[:200]} sample {index + 1}")


def _written(path: Path, result: AnalysisResult) -> tuple[int, str]:
    """Write `result` at `path`; its size and SHA-256."""
    write_vidjil(result, path)
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def _record(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    row: dict[str, Any],
    named: list[tuple[str, AnalysisResult]],
    digest: str,
    written: list[Path],
) -> list[int]:
    """The uploaded sample takes the first sample, new ones the others, in one transaction;
    each file written under its pending name (listed in `written`)."""
    uploaded = str(row["original_name"])
    with database.write() as db:
        current = samples.row_of(db, row["id"])
        if current["status"] != SampleStatus.UPLOADING:
            raise UsageError(f"sample {row['id']} changed during the upload: send it again")
        set_ids = sets_of_sample(db, row["id"])
        fields = {name: current[name] for name in COPIED}
        ids = [row["id"]]
        for name, _ in named[1:]:
            new_id = samples.insert(db, actor, set_ids[0], {**fields, "original_name": name})
            for set_id in set_ids[1:]:
                samples.link(db, set_id, new_id)
            ids.append(new_id)
        for position, (sample_id, (name, result)) in enumerate(zip(ids, named, strict=True)):
            written.append(pending_path(settings.sequences_dir, sample_id))
            size, sha256 = _written(written[-1], result)
            note = f"sample {position + 1} of {len(named)} in {uploaded} (a Vidjil file)"
            db.table("samples").update(
                sample_id,
                {
                    "original_name": name,
                    "stored_name": stored_name(sample_id),
                    "size": size,
                    "sha256": sha256,
                    "status": SampleStatus.READY,
                    "status_message": note,
                },
            )
        audit.record(
            db, actor, "upload_split", "samples", row["id"],
            file=uploaded, sha256=digest, samples=ids, names=[name for name, _ in named],
        )  # fmt: skip
    return ids
