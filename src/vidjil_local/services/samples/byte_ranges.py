"""Where the bytes of an upload request go and how big the file says it is: `Content-Range` or
`?offset=`, read with bounded numbers, and a size no file may pass."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vidjil_local.errors import UsageError, VidjilError
from vidjil_local.services import disk
from vidjil_local.settings import Settings

MAX_FILE_BYTES = 1024**4  # 1 TiB: far above any sequencing run, far below an overflow
# 13 digits hold MAX_FILE_BYTES; longer numbers are refused before int() reads them
CONTENT_RANGE = re.compile(r"bytes (\d{1,13})-(\d{1,13})/(\d{1,13}|\*)")


class TooLarge(VidjilError):
    """A file announced larger than any file this server can take (not a disk that is full)."""

    code = "too_large"
    http_status = 413


@dataclass(frozen=True)
class ByteRange:
    """Where the bytes of a request go: from `start`, and the file's `total` size when known
    (without it the end of the request body is the end of the file)."""

    start: int
    total: int | None


def parse_range(content_range: str | None, offset: int | None) -> ByteRange:
    """The byte range of a request from `Content-Range: bytes START-END/TOTAL` or `?offset=`."""
    if content_range is None:
        return ByteRange(offset or 0, None)
    match = CONTENT_RANGE.fullmatch(content_range.strip())
    if match is None:
        raise UsageError(
            f"Content-Range must be 'bytes START-END/TOTAL' (at most {MAX_FILE_BYTES} bytes), "
            f"not {content_range[:60]!r}"
        )
    start, end, total = int(match[1]), int(match[2]), match[3]
    size = None if total == "*" else int(total)
    if end < start or (size is not None and end >= size):
        raise UsageError(f"Content-Range {content_range!r} is not a range of the file")
    return ByteRange(start, size)


def check_size(settings: Settings, size: int) -> None:
    """A file bigger than the largest accepted, or than the whole data disk, is the client's
    mistake (413), not a disk to free (507)."""
    disk_total = disk.disk_usage(settings.sequences_dir)[0]
    if size > MAX_FILE_BYTES or (disk_total > 0 and size > disk_total):
        limit = min(MAX_FILE_BYTES, disk_total) if disk_total > 0 else MAX_FILE_BYTES
        raise TooLarge(
            f"a file of {size} bytes is larger than this server can take ({limit} bytes): "
            "check the size the upload announces",
            announced_bytes=size,
            limit_bytes=limit,
        )
