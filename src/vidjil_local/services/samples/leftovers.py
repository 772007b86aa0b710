"""What a kill -9 or a power cut can leave in the sequences folder, put right at start.

`uploads` renames a complete part to its final name, then records it: a kill between the two
leaves a file under its final name that no sample row names. The upload is not lost: the file
gets its `.part` name back, so the client's resume finds every byte and asks for the check
again (`?offset=<size>` with an empty body). Runs before the app takes requests. The files of
samples split from a Vidjil file, left under their pending names, are finished too
(`vidjil_samples.finish_pending`).
"""

from __future__ import annotations

import logging
import re

from vidjil_local.db import Database
from vidjil_local.db.samples import SampleStatus
from vidjil_local.services.samples.vidjil_samples import finish_pending
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
FINAL_NAME = re.compile(r"(\d+)_([12])\.(fastq|fasta|vidjil|tsv)(\.gz)?")
PENDING_NAME = re.compile(r"\.(\d+)_1\.vidjil\.pending")
PENDING_WRITE = re.compile(r"\.\.\d+_1\.vidjil\.pending\.\w+\.writing")  # killed mid-write


def restore_unrecorded_parts(database: Database, settings: Settings) -> list[str]:
    """Rename back to `.part` every final-named file of an uploading sample that its row does
    not name yet; returns the names restored."""
    folder = settings.sequences_dir
    if not folder.is_dir():
        return []
    restored = []
    for path in sorted(folder.iterdir()):
        pending = PENDING_NAME.fullmatch(path.name)
        if pending is not None:
            finish_pending(database, folder, path, int(pending[1]))
            restored.append(path.name)
            continue
        if PENDING_WRITE.fullmatch(path.name):  # its transaction was never committed
            path.unlink()
            restored.append(path.name)
            continue
        match = FINAL_NAME.fullmatch(path.name)
        if match is None:
            continue
        sample_id, number = int(match[1]), int(match[2])
        row = (
            database.db()
            .execute(
                "SELECT status, stored_name, stored_name2 FROM samples WHERE id = ?", [sample_id]
            )
            .fetchone()
        )
        if row is None or row[0] != SampleStatus.UPLOADING or row[number] == path.name:
            continue
        part = folder / f"{sample_id}_{number}.part"
        if part.exists():  # a newer resend started: the file under the final name is the stale one
            path.unlink()
        else:
            path.rename(part)
        restored.append(path.name)
    if restored:
        log.warning("uploads cut between their check and their record, put right: %s", restored)
    return restored
