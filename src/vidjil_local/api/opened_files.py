"""Stored files answered from a handle opened before the answer starts.

Litestar's `File` answer takes the file's length from a stat when the answer starts, and opens
the path only then to send the body: a file removed or replaced in between (a new fuse removes the
set's previous fused `.vidjil`, deleting a sample removes its files, the log rotation renames the
log) cut the download short or answered 500. A handle opened first reads the very file whole,
even once its name is gone, and only the length it had when opened (a log still being written
grows meanwhile).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import BinaryIO, cast
from urllib.parse import quote

from litestar.background_tasks import BackgroundTask
from litestar.response import File, Stream

from vidjil_local.errors import NotFound

CHUNK = 1024**2  # bytes read at a time, as Litestar's File


def open_stored(path: Path, what: str) -> BinaryIO:
    """The stored file opened for reading; a file gone is `NotFound` naming `what`, not its
    path on the server."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise NotFound(f"{what} is missing") from None


def file_answer(
    handle: BinaryIO,
    filename: str,
    media_type: str,
    headers: dict[str, str] | None = None,
) -> File:
    """Send the opened file as an attachment named `filename` (the handle is closed after).

    Typed as `File` for the OpenAPI document (a file download), as the handlers declare it."""
    stat = os.fstat(handle.fileno())
    answer_headers = {
        "content-length": str(stat.st_size),
        "content-disposition": _attachment(filename),
        "last-modified": formatdate(stat.st_mtime, usegmt=True),
        "etag": f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"',
        **(headers or {}),
    }
    stream = Stream(
        _chunks(handle, stat.st_size),
        media_type=media_type,
        headers=answer_headers,
        background=BackgroundTask(handle.close),  # also when the client left before the end
    )
    return cast(File, stream)


def _chunks(handle: BinaryIO, size: int) -> Iterator[bytes]:
    with handle:
        left = size
        while left > 0 and (chunk := handle.read(min(CHUNK, left))):
            left -= len(chunk)
            yield chunk


def _attachment(filename: str) -> str:
    """The Content-Disposition Litestar's File sends: RFC 5987 for a name beyond ASCII."""
    quoted = quote(filename)
    if quoted == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=utf-8''{quoted}"
