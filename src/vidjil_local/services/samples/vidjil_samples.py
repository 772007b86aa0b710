"""A `.vidjil` of several samples (a set fused by Vidjil) becomes one sample per listed sample, in
every set holding it, as Vidjil showed them: whether it was uploaded as one sample's file or
picked in the file source (`file_source.py`), through the same functions here.

Uploaded, the uploading sample takes the first; picked, a new sample is made for each. Each
gets a one-sample `.vidjil` of its own (its read statistics, and only the clones with reads in
it) as its stored file in the sequences folder, so the `import` config, the fuse and the
downloads see ordinary samples. The file is read whole first (`read_split`): a malformed one
is refused naming its field, before anything is made. Then, in one transaction, the rows are
written and each file under a pending name made of its sample's id (`record_split`); after the
commit the files take their final names (`move_into_place`). A failure before the commit
leaves nothing (an upload keeps its part, the sample uploading); a kill after it leaves pending
files that `leftovers.py` renames at the next start (`finish_pending`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

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


@dataclass(frozen=True)
class Split:
    """The samples of one multi-sample `.vidjil`, read and named, to be recorded."""

    source: str  # the file's name as the user knows it
    digest: str  # its SHA-256
    named: list[tuple[str, AnalysisResult]]


def read_split(path: Path, source: str, digest: str) -> Split | None:
    """The samples of `path` when it is a `.vidjil` of several; None for any other result file.
    Raises the reader's InputFormatError (naming the field) for a malformed one."""
    results = import_samples(path)
    if len(results) < 2:
        return None
    named = [(_sample_name(result, index, source), result) for index, result in enumerate(results)]
    return Split(source, digest, named)


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
    split = read_split(part, str(row["original_name"]), digest)  # checked on arrival already
    if split is None:
        return None
    with pending_files() as written, database.write() as db:
        current = samples.row_of(db, row["id"])
        if current["status"] != SampleStatus.UPLOADING:
            raise UsageError(f"sample {row['id']} changed during the upload: send it again")
        fields = {name: current[name] for name in COPIED}
        ids = record_split(
            db, settings, actor, split,
            set_ids=sets_of_sample(db, row["id"]), fields=fields, first=row["id"], written=written,
        )  # fmt: skip
    _move_into_place(settings.sequences_dir, part, ids)
    return ids


@contextmanager
def pending_files() -> Iterator[list[Path]]:
    """The pending files a split writes (appended by `record_split`), removed when the block
    fails: around the transaction, so that a failed commit removes them too."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def record_split(
    db: sqlite_utils.Database,
    settings: Settings,
    actor: audit.Actor,
    split: Split,
    *,
    set_ids: list[int],
    fields: dict[str, Any],
    first: int | None,
    written: list[Path],
    action: str = "upload_split",
) -> list[int]:
    """In the caller's transaction: a sample per sample of `split` in every set of `set_ids`
    (`first`, an existing sample, takes the first when given), each ready with its one-sample
    file written under its pending name (listed in `written`). The ids, in the file's order."""
    ids = [] if first is None else [first]
    for name, _ in split.named[len(ids) :]:
        new_id = samples.insert(db, actor, set_ids[0], {**fields, "original_name": name})
        for set_id in set_ids[1:]:
            samples.link(db, set_id, new_id)
        ids.append(new_id)
    count = len(split.named)
    settings.sequences_dir.mkdir(parents=True, exist_ok=True)
    for position, (sample_id, (name, result)) in enumerate(zip(ids, split.named, strict=True)):
        written.append(pending_path(settings.sequences_dir, sample_id))
        size, sha256 = _written(written[-1], result)
        db.table("samples").update(
            sample_id,
            {
                "original_name": name,
                "stored_name": stored_name(sample_id),
                "size": size,
                "sha256": sha256,
                "network": 0,
                "status": SampleStatus.READY,
                "status_message": f"sample {position + 1} of {count} in {split.source} "
                "(a Vidjil file)",
            },
        )
    audit.record(
        db, actor, action, "samples", ids[0],
        file=split.source, sha256=split.digest, samples=ids,
        names=[name for name, _ in split.named],
    )  # fmt: skip
    return ids


def _move_into_place(folder: Path, part: Path | None, ids: list[int]) -> None:
    """After the commit: the upload's part (if any) removed, the pending files under their
    final names."""
    if part is not None:
        part.unlink(missing_ok=True)
    for sample_id in ids:
        pending_path(folder, sample_id).replace(folder / stored_name(sample_id))


def move_into_place(folder: Path, ids: list[int]) -> None:
    """After the commit of a split of a picked file: the pending files under their final names."""
    _move_into_place(folder, None, ids)


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


def _sample_name(result: AnalysisResult, index: int, source: str) -> str:
    """The sample's name in the file (`original_names`), else the file's name and its rank."""
    listed = Path(result.samples[0].original_name.replace("\\", "/")).name
    try:
        return samples.clean_name(listed)
    except UsageError:
        return samples.clean_name(f"{Path(source).name[:200]} sample {index + 1}")


def _written(path: Path, result: AnalysisResult) -> tuple[int, str]:
    """Write `result` at `path`; its size and SHA-256."""
    write_vidjil(result, path)
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()
