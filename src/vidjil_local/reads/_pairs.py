"""Read paired-end files (R1, R2) together, checking that their reads are mates."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import closing
from itertools import zip_longest
from pathlib import Path

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._chunks import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_READ_LENGTH,
    ReadChunk,
    iter_chunks,
)


def iter_pairs(
    r1: Path,
    r2: Path,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    max_read_length: int = DEFAULT_MAX_READ_LENGTH,
    keep_qualities: bool = False,
) -> Generator[tuple[ReadChunk, ReadChunk], None, None]:
    """Yield chunks of R1 and R2 side by side: the i-th reads of both chunks are mates.

    Raises `InputFormatError` when the files do not have the same number of reads or when two
    reads at the same rank are not mates (see `mate_id`). With `keep_qualities`, FASTQ chunks
    carry their quality lines (for merging the mates).
    """
    limit = max_read_length
    chunks1 = iter_chunks([r1], chunk_size, max_read_length=limit, keep_qualities=keep_qualities)
    chunks2 = iter_chunks([r2], chunk_size, max_read_length=limit, keep_qualities=keep_qualities)
    with closing(chunks1), closing(chunks2):
        for chunk1, chunk2 in zip_longest(chunks1, chunks2):
            if chunk1 is None or chunk2 is None or len(chunk1) != len(chunk2):
                raise _count_mismatch(r1, r2, chunk1, chunk2)
            _check_names(r2, chunk1, chunk2)
            if chunk1.first_record == 0:
                _check_not_the_same_reads(r1, r2, chunk1, chunk2)
            yield chunk1, chunk2


def check_pair(r1: Path, r2: Path, max_records: int | None = None) -> int:
    """Check that R1 and R2 are mates, read by read; return the number of pairs checked."""
    pairs = 0
    chunk_size = min(max_records or DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE)
    with closing(iter_pairs(r1, r2, chunk_size)) as chunks:
        for chunk1, _ in chunks:
            pairs += len(chunk1)
            if max_records is not None and pairs >= max_records:
                break
    return pairs


def mate_id(name: str) -> str:
    """The part of a read name both mates share.

    That is the name up to its first blank (Illumina's ` 1:N:0:...` comments differ between
    mates), without a trailing `/1` or `/2`.
    """
    identifier = (name.split(maxsplit=1) or [""])[0]
    if identifier.endswith(("/1", "/2")):
        return identifier[:-2]
    return identifier


def _check_names(r2: Path, chunk1: ReadChunk, chunk2: ReadChunk) -> None:
    if chunk1.names == chunk2.names:
        return
    for index, (name1, name2) in enumerate(zip(chunk1.names, chunk2.names, strict=True)):
        if mate_id(name1) != mate_id(name2):
            record = chunk1.first_record + index + 1
            message = f"read {record} is '{name2}' here but '{name1}' in R1: not mates"
            raise InputFormatError(message, str(r2), record=record)


def _check_not_the_same_reads(r1: Path, r2: Path, chunk1: ReadChunk, chunk2: ReadChunk) -> None:
    """R2 reads the other strand of the fragment: mates that are all equal to theirs, names and
    bases, are the same file chosen twice (checked on the first chunk, where it always shows)."""
    if len(chunk1) > 1 and chunk1.sequences == chunk2.sequences and chunk1.names == chunk2.names:
        message = f"its reads are those of {r1.name}, not their mates: the same file given twice?"
        raise InputFormatError(message, str(r2))


def _count_mismatch(
    r1: Path, r2: Path, chunk1: ReadChunk | None, chunk2: ReadChunk | None
) -> InputFormatError:
    def count(chunk: ReadChunk | None, other: ReadChunk | None) -> int:
        if chunk is not None:
            return chunk.first_record + len(chunk)
        assert other is not None
        return other.first_record  # this file ended with the previous chunk

    reads1, reads2 = count(chunk1, chunk2), count(chunk2, chunk1)
    shorter, longer = (r1, r2) if reads1 < reads2 else (r2, r1)
    message = (
        f"the paired files do not have the same number of reads: {min(reads1, reads2)} here, "
        f"more in {longer.name}"
    )
    return InputFormatError(message, str(shorter))
