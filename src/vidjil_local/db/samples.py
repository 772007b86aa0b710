"""The `samples` table: its status column (where a sample's file stands), where its files are
stored and their own names.

`original_name` names the sample (and is its only file's name, or its R1's unless
`original_name1` holds the R1's own name: a pair named from the common part of its two names);
`original_name2` is the R2's name."""

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


def file_name(row: dict[str, Any], number: int) -> str | None:
    """The own name of file 1 (the only file or R1) or 2 (R2) of a sample row, as sent or picked:
    for downloads, archives and messages."""
    if number == 2:
        name = row.get("original_name2")
        return None if name is None else str(name)
    return str(row.get("original_name1") or row["original_name"])
