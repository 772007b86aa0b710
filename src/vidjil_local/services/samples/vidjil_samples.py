"""A `.vidjil` of several samples (a set fused by Vidjil) uploaded as one sample's file becomes
one sample per listed sample, in every set holding the uploaded one, as Vidjil showed them.

The uploaded sample takes the first; a new sample is made for each other one. Each gets a
one-sample `.vidjil` of its own (its read statistics, and only the clones with reads in it) as
its stored file, so the `import` config, the fuse and the downloads see ordinary samples. The
files are written under temporary names first, the rows committed in one transaction, then the
files renamed: a failure before the commit leaves the upload as it was, to resume or resend.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Written:
    """One sample's one-sample `.vidjil`, written under a temporary name."""

    name: str
    temporary: Path
    size: int
    sha256: str


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
    written = [
        _write(settings, row["id"], index, result, _sample_name(result, index, row))
        for index, result in enumerate(results)
    ]
    try:
        ids = _record(database, actor, row, written, digest)
    except BaseException:
        for file in written:
            file.temporary.unlink(missing_ok=True)
        raise
    for sample_id, file in zip(ids, written, strict=True):
        file.temporary.replace(settings.sequences_dir / _stored_name(sample_id))
    part.unlink(missing_ok=True)
    return ids


def _stored_name(sample_id: int) -> str:
    return f"{sample_id}_1.vidjil"


def _sample_name(result: AnalysisResult, index: int, row: dict[str, Any]) -> str:
    """The sample's name in the file (`original_names`), else the upload's name and its rank."""
    listed = Path(result.samples[0].original_name.replace("\\", "/")).name
    try:
        return samples.clean_name(listed)
    except UsageError:
        return samples.clean_name(f"{str(row['original_name'])[:200]} sample {index + 1}")


def _write(
    settings: Settings, sample_id: int, index: int, result: AnalysisResult, name: str
) -> Written:
    temporary = settings.sequences_dir / f".{sample_id}_1.sample-{index + 1}.vidjil.tmp"
    write_vidjil(result, temporary)
    data = temporary.read_bytes()
    return Written(name, temporary, len(data), hashlib.sha256(data).hexdigest())


def _record(
    database: Database,
    actor: audit.Actor,
    row: dict[str, Any],
    written: list[Written],
    digest: str,
) -> list[int]:
    """The uploaded sample takes the first sample, new ones the others, in one transaction."""
    uploaded = str(row["original_name"])
    count = len(written)
    with database.write() as db:
        current = samples.row_of(db, row["id"])
        if current["status"] != SampleStatus.UPLOADING:
            raise UsageError(f"sample {row['id']} changed during the upload: send it again")
        set_ids = sets_of_sample(db, row["id"])
        fields = {name: current[name] for name in COPIED}
        ids = [row["id"]]
        for file in written[1:]:
            new_id = samples.insert(db, actor, set_ids[0], {**fields, "original_name": file.name})
            for set_id in set_ids[1:]:
                samples.link(db, set_id, new_id)
            ids.append(new_id)
        for position, (sample_id, file) in enumerate(zip(ids, written, strict=True), start=1):
            note = f"sample {position} of {count} in {uploaded} (a Vidjil file)"
            db.table("samples").update(
                sample_id,
                {
                    "original_name": file.name,
                    "stored_name": _stored_name(sample_id),
                    "size": file.size,
                    "sha256": file.sha256,
                    "status": SampleStatus.READY,
                    "status_message": note,
                },
            )
        audit.record(
            db, actor, "upload_split", "samples", row["id"],
            file=uploaded, sha256=digest, samples=ids, names=[f.name for f in written],
        )  # fmt: skip
    return ids
