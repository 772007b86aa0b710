"""Parse an opened reads file into batches of (names, normalised sequences, qualities) of a
given size (qualities: the FASTQ quality lines, none for FASTA).

On any problem the records parsed before it are yielded first (all of them when the stream
breaks, as a truncated gzip does), then `InputFormatError` is raised with the original path
and, when known, the line.
"""

from __future__ import annotations

from collections.abc import Generator

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._fasta import fasta_batches
from vidjil_local.reads._fastq import fastq_batches
from vidjil_local.reads._normalise import Batch
from vidjil_local.reads._stream import (
    GZIP_DATA_ERROR,
    BadByte,
    LineTooLong,
    OpenedReads,
    gzip_ending_problem,
    gzip_problem,
)

_STREAM_ERRORS = (
    EOFError,
    OSError,
    LineTooLong,
    BadByte,
    GZIP_DATA_ERROR,
)


def iter_batches(
    opened: OpenedReads, batch_size: int, max_read_length: int
) -> Generator[Batch, None, None]:
    """Yield batches of `batch_size` normalised records (fewer in the last one) from `opened`."""
    if opened.format is None:
        return
    parse = fasta_batches if opened.format == "fasta" else fastq_batches
    names: list[str] = []
    sequences: list[str] = []
    qualities: list[bytes] = []
    records_before = 0
    try:
        for block in parse(opened.reader, opened.path, max_read_length):
            names += block[0]
            sequences += block[1]
            qualities += block[2]
            while len(names) >= batch_size:
                records_before += batch_size
                yield names[:batch_size], sequences[:batch_size], qualities[:batch_size]
                del names[:batch_size], sequences[:batch_size], qualities[:batch_size]
    except (InputFormatError, *_STREAM_ERRORS) as error:
        if names:
            yield names, sequences, qualities
        if isinstance(error, InputFormatError):
            raise
        raise _input_error(error, opened, records_before + len(names), max_read_length) from None
    if names:
        yield names, sequences, qualities


def _input_error(
    error: Exception, opened: OpenedReads, records_before: int, max_read_length: int
) -> InputFormatError:
    path = str(opened.path)
    after = f"after {records_before} records"
    if isinstance(error, LineTooLong):
        limit = f"max_read_length={max_read_length}"
        message = f"a {error.what} longer than {error.limit} bytes (reads are limited to {limit})"
        return InputFormatError(message, path, error.line)
    if isinstance(error, BadByte):
        return InputFormatError(error.what, path, error.line)
    if isinstance(error, EOFError):
        return InputFormatError(f"{gzip_ending_problem(opened.path)} ({after})", path)
    if opened.compressed:
        return InputFormatError(f"broken gzip data ({after}): {gzip_problem(error)}", path)
    return InputFormatError(f"cannot read ({after}): {error}", path)
