"""The `samples` table: its status column (where a sample's file stands) and where its files are
stored."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from vidjil_local.settings import Settings


class SampleStatus(StrEnum):
    WAITING = "waiting"  # created, no file yet
    UPLOADING = "uploading"  # a file (or one of a pair) is arriving
    READY = "ready"  # checked, can be analysed
    INVALID = "invalid"  # the file was refused (`status_message` says why)
    DELETED = "deleted"  # the file is gone; the row, its links and its results stay


def file_path(settings: Settings, row: dict[str, Any], number: int) -> Path | None:
    """Where file 1 or 2 of a sample row is, or None when it was not received."""
    stored: str | None = row["stored_name"] if number == 1 else row["stored_name2"]
    if stored is None:
        return None
    if row["network"]:
        return Path(stored)  # resolved inside file_source when it was linked
    return settings.sequences_dir / stored
