"""Stream reads files as picklable chunks of normalised sequences, with progress in bytes."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._records import iter_batches
from vidjil_local.reads._stream import LINE_SLACK, open_reads

DEFAULT_CHUNK_SIZE = 4096
# Immune-repertoire reads are at most a few kilobases; a megabase read is a wrong file.
DEFAULT_MAX_READ_LENGTH = 1_000_000


@dataclass(frozen=True)
class ReadChunk:
    """Consecutive reads of one file, ready to be sent to a worker process.

    `first_record` is the 0-based index in its file of the first read; `bytes_read` and
    `total_bytes` count bytes of the file as stored (compressed bytes for gzip), so that
    `bytes_read / total_bytes` is the progress; the last chunk of a file has them equal.
    `qualities` are the FASTQ quality lines (Phred+33) when asked for, else empty.
    """

    names: list[str]
    sequences: list[str]
    file_index: int
    first_record: int
    bytes_read: int
    total_bytes: int
    qualities: list[bytes] = dataclasses.field(default_factory=list)

    def __len__(self) -> int:
        return len(self.names)


def iter_chunks(
    paths: Sequence[Path],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    max_read_length: int = DEFAULT_MAX_READ_LENGTH,
    require_reads: bool = False,
    keep_qualities: bool = False,
) -> Generator[ReadChunk, None, None]:
    """Yield the reads of `paths`, file after file, in chunks of at most `chunk_size` reads.

    Raises `InputFormatError` (path, line) on the first problem, after yielding the reads
    before it. With `require_reads`, a file without any read is an error too. With
    `keep_qualities`, the chunks of a FASTQ file carry their quality lines.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    for file_index, path in enumerate(paths):
        yield from _file_chunks(
            Path(path), file_index, chunk_size, max_read_length, require_reads, keep_qualities
        )


def _file_chunks(
    path: Path,
    file_index: int,
    chunk_size: int,
    max_read_length: int,
    require_reads: bool,
    keep_qualities: bool,
) -> Iterator[ReadChunk]:
    # One chunk is held back so the last one, known only at the end, can report total_bytes.
    held: ReadChunk | None = None
    records = 0
    with open_reads(path, max_read_length + LINE_SLACK) as opened:
        try:
            for names, sequences, qualities in iter_batches(opened, chunk_size, max_read_length):
                if held is not None:
                    yield held
                position = opened.position()
                kept = qualities if keep_qualities else []
                held = ReadChunk(
                    names, sequences, file_index, records, position, opened.total_bytes, kept
                )
                records += len(names)
        except InputFormatError:
            if held is not None:
                yield held
            raise
        if held is not None:
            yield dataclasses.replace(held, bytes_read=held.total_bytes)
        elif require_reads:
            raise InputFormatError("no reads", str(path))
