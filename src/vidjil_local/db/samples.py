"""The `samples` table's status column: where a sample's file stands."""

from __future__ import annotations

from enum import StrEnum


class SampleStatus(StrEnum):
    WAITING = "waiting"  # created, no file yet
    UPLOADING = "uploading"  # a file (or one of a pair) is arriving
    READY = "ready"  # checked, can be analysed
    INVALID = "invalid"  # the file was refused (`status_message` says why)
    DELETED = "deleted"  # the file is gone; the row, its links and its results stay
