"""Check a reads file on upload: its format, and that its first records (or all) parse."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._chunks import DEFAULT_CHUNK_SIZE, DEFAULT_MAX_READ_LENGTH
from vidjil_local.reads._records import iter_batches
from vidjil_local.reads._stream import LINE_SLACK, Format, open_reads


@dataclass(frozen=True)
class ReadsFileInfo:
    """What `check_reads_file` learnt.

    `complete` is true when the whole file was read, false when reading stopped at
    `max_records` (even if the file has no more records).
    """

    format: Format
    compressed: bool
    records_checked: int
    complete: bool
    first_read_length: int
    total_bytes: int


def check_reads_file(
    path: Path,
    max_records: int | None = 1000,
    *,
    max_read_length: int = DEFAULT_MAX_READ_LENGTH,
    grows_to: int | None = None,
) -> ReadsFileInfo:
    """Read up to `max_records` records (all with None); raise `InputFormatError` on a problem.

    A file without any read is an error here: there is nothing to analyse in it. With
    `grows_to`, the file is still arriving: reading waits for its bytes up to that size.
    """
    path = Path(path)
    batch_size = min(max_records or DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE)
    checked = 0
    first_read_length = 0
    complete = True
    with open_reads(path, max_read_length + LINE_SLACK, grows_to) as opened:
        batches = iter_batches(opened, batch_size, max_read_length)
        with closing(batches):
            for _, sequences, _ in batches:
                if not checked:
                    first_read_length = len(sequences[0])
                checked += len(sequences)
                if max_records is not None and checked >= max_records:
                    checked, complete = max_records, False
                    break
    if opened.format is None or not checked:
        raise InputFormatError("no reads", str(path))
    return ReadsFileInfo(
        opened.format, opened.compressed, checked, complete, first_read_length, opened.total_bytes
    )
